import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { SectionCard } from "../components/section-card";
import { LineRevenueCard } from "../customers/revenue-view";
import { revenueTotals } from "../customers/revenue.server";
import { useT } from "../i18n/i18n";
import { quotaMeters } from "../quota/meter.server";
import { QuotaMeters } from "../quota/quota-meter";
import { getSetupState } from "../shops/setup-state.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [state, lineRevenue, quota] = await Promise.all([
    getSetupState(session.shop),
    revenueTotals(session.shop),
    quotaMeters(session.shop),
  ]);
  return { ...state, lineRevenue, quota };
};

export default function Home() {
  const state = useLoaderData<typeof loader>();
  const t = useT();
  const steps = [state.lineAccounts.connected > 0, state.cartReminders.enabled, state.friends.total > 0];
  const done = steps.filter(Boolean).length;

  const delay = (minutes: number) =>
    minutes === 0
      ? t("delay.immediately")
      : minutes % 60 === 0
        ? t("delay.hours", { count: minutes / 60 })
        : t("delay.minutes", { count: minutes });

  return (
    <Page title={t("home.title")}>
      <Layout>
        <Layout.Section>
          <SectionCard title={t("home.setup.heading")} gap="200">
            <ProgressBar progress={(done / steps.length) * 100} size="small" tone="primary" animated={false} />
            <Text as="p" tone="subdued">
              {t("home.setup.progress", { done, total: steps.length })}
            </Text>
          </SectionCard>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="400">
            <StatusCard
              heading={t("home.lineAccounts.heading")}
              ok={state.lineAccounts.connected > 0}
              badge={state.lineAccounts.connected > 0 ? t("home.status.connected") : t("home.status.notConnected")}
              action={{ url: "/app/accounts", label: state.lineAccounts.connected > 0 ? t("home.lineAccounts.manage") : t("home.lineAccounts.connect") }}
            >
              {state.lineAccounts.connected > 0
                ? t("home.lineAccounts.count", { count: state.lineAccounts.connected })
                : `${t("home.lineAccounts.none")} ${t("home.lineAccounts.next")}`}
            </StatusCard>
            <StatusCard
              heading={t("home.cart.heading")}
              ok={state.cartReminders.enabled}
              badge={state.cartReminders.enabled ? t("home.status.on") : t("home.status.off")}
            >
              {state.cartReminders.enabled && state.cartReminders.delayMinutes !== null
                ? t("home.cart.on", { delay: delay(state.cartReminders.delayMinutes) })
                : state.lineAccounts.connected > 0
                  ? t("home.cart.off")
                  : t("home.cart.needsAccount")}
            </StatusCard>
            <StatusCard
              heading={t("home.friends.heading")}
              ok={state.friends.total > 0}
              badge={String(state.friends.total)}
              action={state.friends.total > 0 ? { url: "/app/friends", label: t("home.friends.open") } : undefined}
            >
              {state.friends.total > 0
                ? t("home.friends.count", { count: state.friends.total, following: state.friends.following })
                : t("home.friends.none")}
            </StatusCard>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <QuotaMeters meters={state.quota} timeZone={state.timeZone} />
            <LineRevenueCard totals={state.lineRevenue} />
            <SectionCard title={t("home.shop.heading")} gap="200">
              <Text as="p">{t("home.shop.timeZone", { timeZone: state.timeZone })}</Text>
            </SectionCard>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function StatusCard(props: {
  heading: string;
  ok: boolean;
  badge: string;
  action?: { url: string; label: string };
  children: ReactNode;
}) {
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {props.heading}
          </Text>
          <Badge tone={props.ok ? "success" : "attention"}>{props.badge}</Badge>
        </InlineStack>
        <Text as="p">{props.children}</Text>
        {props.action && (
          <InlineStack>
            <Button url={props.action.url}>{props.action.label}</Button>
          </InlineStack>
        )}
      </BlockStack>
    </Card>
  );
}
