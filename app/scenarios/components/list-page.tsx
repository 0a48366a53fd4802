// The scenarios list page: the table with each scenario's switch, or, before the first scenario, what a scenario
// is and the next step.
import type { SerializeFrom } from "@remix-run/node";
import { useNavigate } from "@remix-run/react";
import { Banner, BlockStack, Card, EmptyState, Layout, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { NoAccountPage } from "../../components/no-account-page";
import { useToast } from "../../components/toast";
import { useRouteAction } from "../../components/use-route-action";
import { useT } from "../../i18n/i18n";
import type { listPage } from "../pages.server";
import { ScenarioList } from "./scenario-list";

type Data = SerializeFrom<Awaited<ReturnType<typeof listPage>>>;
type Answer = { ok: true; intent: string; status: "on" | "off" } | { ok: false; errors: Record<string, string> };

// Three LINE bubbles stepping down a timeline, inline so the page needs nothing from outside; explicit size.
const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><path d="M34 28v64" stroke="#8a8a8a" stroke-width="3"/><circle cx="34" cy="34" r="6" fill="#06c755"/><circle cx="34" cy="60" r="6" fill="#fff" stroke="#8a8a8a" stroke-width="3"/><circle cx="34" cy="86" r="6" fill="#fff" stroke="#8a8a8a" stroke-width="3"/><rect x="46" y="26" width="44" height="16" rx="8" fill="#06c755"/><rect x="46" y="52" width="36" height="16" rx="8" fill="#06c755" opacity=".75"/><rect x="46" y="78" width="40" height="16" rx="8" fill="#06c755" opacity=".5"/></svg>',
)}`;

export function ScenarioListPage({ data }: { data: Data }) {
  const t = useT();
  const navigate = useNavigate();
  const toast = useToast();
  const [toggled, setToggled] = useState<string>();
  const { fetcher, fieldError } = useRouteAction<() => Promise<Answer>>((done) => {
    const name = data.scenarios.find((s) => s.id === toggled)?.name ?? "";
    toast(t(done.status === "on" ? "scenarioPages.turnedOn" : "scenarioPages.turnedOff", { name }));
  });
  const busyId = fetcher.state !== "idle" ? String(fetcher.formData?.get("id") ?? "") : null;

  if (!data.hasAccount && data.scenarios.length === 0) {
    return <NoAccountPage title={t("scenarioPages.title")} messages="scenarioPages" image={EMPTY_IMAGE} />;
  }
  const create = { content: t("scenarioPages.create"), onAction: () => navigate("/app/scenarios/new") };
  return (
    <Page title={t("scenarioPages.title")} subtitle={t("scenarioPages.subtitle")} primaryAction={data.scenarios.length ? create : undefined}>
      <Layout>
        {fieldError("form", "id", "status", "intent") && (
          <Layout.Section>
            <Banner tone="critical">{fieldError("form", "id", "status", "intent")}</Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card padding={data.scenarios.length ? "0" : undefined}>
            {data.scenarios.length === 0 ? (
              <EmptyState heading={t("scenarioPages.empty.heading")} action={create} image={EMPTY_IMAGE}>
                <BlockStack gap="200">
                  <p>{t("scenarioPages.empty.body")}</p>
                  <Text as="p" fontWeight="semibold">
                    {t("scenarioPages.empty.next")}
                  </Text>
                </BlockStack>
              </EmptyState>
            ) : (
              <ScenarioList data={data} busyId={busyId} onToggle={(id, status) => {
                  setToggled(id);
                  fetcher.submit({ intent: "status", id, status }, { method: "post" });
                }} />
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
