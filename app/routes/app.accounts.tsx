import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type SerializeFrom } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Card, EmptyState, Layout, Page, Text } from "@shopify/polaris";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import type { FieldErrors } from "../line/account-input";
import { parseAccountInput } from "../line/account-input-schema.server";
import { AccountCard } from "../line/account-card";
import { AccountForm } from "../line/account-form";
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

// A speech bubble in LINE green, inline so the page needs nothing from outside.
const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><path d="M60 30c-19 0-34 12-34 27 0 13 11 24 27 26l-2 9 13-9c17-2 30-13 30-26 0-15-15-27-34-27z" fill="#06c755"/></svg>',
)}`;

export type AccountsData = SerializeFrom<typeof loader>;
export type AccountRow = AccountsData["accounts"][number];

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
                {result && "detail" in result && result.detail ? (
                  <Text as="p" tone="subdued">
                    {t("line.error.lineSaid", { detail: result.detail })}
                  </Text>
                ) : null}
              </BlockStack>
            </Banner>
          </Layout.Section>
        )}
        {result && "account" in result && !errors.form && (
          <Layout.Section>
            <Banner tone="success">
              {result.intent === "connect" ? t("accounts.connected", { name: result.account.displayName }) : t("accounts.saved")}
            </Banner>
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
                <Card>
                  <EmptyState heading={t("accounts.empty.heading")} image={EMPTY_IMAGE}>
                    <Text as="p">{t("accounts.empty.body")}</Text>
                  </EmptyState>
                  <AccountForm errors={result?.intent === "connect" ? errors : {}} busy={busy} />
                </Card>
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
