// The home page: what needs the merchant (alerts with their fixes), the guided set-up, the period's numbers, and
// the message quota.
import type { SerializeFrom } from "@remix-run/node";
import { Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import { useT } from "../i18n/i18n";
import { QuotaMeters } from "../quota/quota-meter";
import { AlertList } from "./alert-list";
import type { HomeData } from "./home.server";
import { NumbersCard } from "./numbers-card";
import { SetupChecklist } from "./setup-checklist";

export function HomePage({ data }: { data: SerializeFrom<HomeData> }) {
  const t = useT();
  const { setup } = data;
  return (
    <Page title={t("home.title")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {data.alerts.length > 0 ? (
              <AlertList alerts={data.alerts} />
            ) : setup.lineAccounts.connected > 0 ? (
              <Banner tone="success">{t("home.alerts.none")}</Banner>
            ) : null}
            <SetupChecklist setup={setup} storefront={data.storefront} themeEditorUrl={data.themeEditorUrl} />
            <NumbersCard numbers={data.numbers} timeZone={setup.timeZone} />
          </BlockStack>
        </Layout.Section>
        {data.quota.length > 0 && (
          <Layout.Section variant="oneThird">
            <QuotaMeters meters={data.quota} timeZone={setup.timeZone} />
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}
