import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { FirstRunDrawing } from "../home/illustrations";
import { ChannelGuide } from "../home/setup-checklist";
import { LineErrorOriginal } from "../components/line-error-text";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import type { FieldErrors } from "../line/account-input";
import { parseAccountInput } from "../line/account-input-schema.server";
import { AccountCard } from "../line/account-card";
import { AccountForm } from "../line/account-form";
import { ConnectResult } from "../line/connect-result";
import { accountAction, accountsPage } from "../line/accounts-page.server";
import { quotaMeters } from "../quota/meter.server";
import { QuotaMeters } from "../quota/quota-meter";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [page, shop] = await Promise.all([accountsPage(session.shop), ensureShop(session.shop)]);
  return { ...page, quota: await quotaMeters(session.shop), timeZone: shop.timeZone };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const id = String(form.get("id") ?? "");
  if (intent === "connect" || intent === "update") {
    const parsed = parseAccountInput(form);
    if ("errors" in parsed) return json({ intent, id, errors: parsed.errors as FieldErrors }, { status: 422 });
    const result = await accountAction(session.shop, { intent, id, input: parsed.data });
    const status = !("errors" in result) ? 200 : result.errors.form === "accounts.error.notFound" ? 404 : 422;
    return json({ intent, id, ...result }, { status });
  }
  if (intent === "disconnect" || intent === "retest") {
    const result = await accountAction(session.shop, { intent, id });
    return json({ intent, id, ...result }, { status: "errors" in result ? 404 : 200 });
  }
  return json({ intent, id, errors: { form: "accounts.error.notFound" } as FieldErrors }, { status: 400 });
};


export default function Accounts() {
  const { accounts, limit, quota, timeZone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const t = useT();
  const editing = accounts.find((account) => account.id === params.get("edit"));
  const connected = accounts.filter((account) => account.status === "connected");
  const errors: FieldErrors = result && "errors" in result ? result.errors : {};
  const busy = navigation.state === "submitting";
  const canConnect = connected.length < limit;

  return (
    <Page title={t("accounts.title")}>
      <Layout>
        {errors.form && (
          <Layout.Section>
            <Banner tone="critical" title={t("accounts.error.title")}>
              <BlockStack gap="100">
                <p>{t(errors.form as MessageKey, { limit })}</p>
                <LineErrorOriginal text={result && "detail" in result ? result.detail : null} />
              </BlockStack>
            </Banner>
          </Layout.Section>
        )}
        {result && "account" in result && !errors.form && (
          <Layout.Section>
            <ConnectResult intent={result.intent} account={result.account} />
          </Layout.Section>
        )}
        {quota.length ? <Layout.Section><QuotaMeters meters={quota} timeZone={timeZone} spaced={false} /></Layout.Section> : null}
        {accounts.map((account) => (
          <Layout.Section key={account.id}>
            {editing?.id === account.id ? (
              <AccountForm account={account} errors={result?.id === account.id ? errors : {}} busy={busy} />
            ) : (
              <AccountCard account={account} />
            )}
          </Layout.Section>
        ))}
        {!editing && (
          <Layout.Section>
            {canConnect ? (
              accounts.length === 0 ? (
                <BlockStack gap="400">
                  <Card>
                    <BlockStack gap="400" inlineAlign="center">
                      <FirstRunDrawing />
                      <Text as="h2" variant="headingLg" alignment="center">
                        {t("accounts.empty.heading")}
                      </Text>
                      <Text as="p" alignment="center">
                        {t("accounts.empty.body")}
                      </Text>
                    </BlockStack>
                  </Card>
                  <Card>
                    <ChannelGuide />
                  </Card>
                  <AccountForm errors={result?.intent === "connect" ? errors : {}} busy={busy} />
                </BlockStack>
              ) : (
                <AccountForm errors={result?.intent === "connect" ? errors : {}} busy={busy} />
              )
            ) : (
              <Card>
                <BlockStack gap="200">
                  <Text as="p" tone="subdued">
                    {t("accounts.error.planLimit", { limit })}
                  </Text>
                </BlockStack>
              </Card>
            )}
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}
