// The cart-reminder settings page for one account: the form, its preview and test panel, with the contextual save bar.
import { Badge, Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import { AccountPicker } from "../components/account-picker";
import { UnsavedChangesBar, useUnsavedChanges } from "../components/save-bar";
import { useToast } from "../components/toast";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { PreviewCard } from "./preview-card";
import { DeliverySections, MessageSections, TimingSections } from "./settings-sections";
import { formStateOf, toFormData, type CartSettingsAnswer, type CartSettingsFormState, type CartSettingsPageData } from "./settings-page";
import { TestPanel } from "./test-panel";

export function CartSettingsForm({ data }: { data: CartSettingsPageData }) {
  const t = useT();
  const toast = useToast();
  const account = data.accounts.find((a) => a.id === data.selectedId)!;
  const { settings } = data;
  const form = useUnsavedChanges<CartSettingsFormState>(formStateOf(settings));
  // Saved: the form shows what was stored (normalised), so it is clean again.
  const { fetcher, errors, setErrors, clearError, fieldError, busy } = useRouteAction<() => CartSettingsAnswer>((answer) => {
    form.discard();
    toast(answer.cancelled ? t("cart.savedCancelled", { count: answer.cancelled }) : t("cart.saved"));
  });
  const state = form.values;
  const set =
    <K extends keyof CartSettingsFormState>(field: K) =>
    (value: CartSettingsFormState[K]) => {
      clearError(field);
      form.set(field)(value);
    };
  const save = () => fetcher.submit(toFormData(state, { intent: "save", lineAccountId: account.id }), { method: "post" });
  const discard = () => {
    setErrors({});
    form.discard();
  };
  const fieldErrors = Object.keys(errors).filter((field) => field !== "form");
  const sections = { state, set, error: (field: string) => fieldError(field) };

  return (
    <Page
      title={t("cart.title")}
      titleMetadata={<Badge tone={settings.enabled ? "success" : undefined}>{t(settings.enabled ? "cart.status.on" : "cart.status.off")}</Badge>}
      primaryAction={{ content: t("cart.save"), onAction: save, loading: busy }}
      secondaryActions={[{ content: t("cart.analyticsLink"), url: `/app/abandoned-cart/analytics?account=${account.id}` }]}
    >
      <UnsavedChangesBar id="cart-settings-save-bar" dirty={form.dirty} saving={busy} onSave={save} onDiscard={discard} />
      <Layout>
        {data.quota.exhausted && (
          <Layout.Section>
            <Banner tone="warning" title={t("cart.quota.title")}>
              {t("cart.quota.body")}
            </Banner>
          </Layout.Section>
        )}
        {(errors.form || fieldErrors.length > 0) && (
          <Layout.Section>
            <Banner tone="critical">{errors.form ? t(errors.form as MessageKey) : t("cart.error.fields")}</Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <BlockStack gap="400">
            {data.accounts.length > 1 && <AccountPicker label={t("cart.account")} accounts={data.accounts} selectedId={account.id} />}
            <TimingSections {...sections} storedEnabled={settings.enabled} scheduled={data.scheduled} />
            <MessageSections {...sections} />
            <DeliverySections {...sections} recoveryUrl={data.cart.recoveryUrl} timeZone={data.timeZone} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <PreviewCard cart={data.cart} state={state} sender={account.botName ?? account.displayName} />
            <TestPanel accountId={account.id} state={state} initialFriends={data.friends} onFieldErrors={setErrors} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
