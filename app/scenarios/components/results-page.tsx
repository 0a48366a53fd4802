// The results page of one scenario: totals, then each step on the timeline with what happened to it.
import type { SerializeFrom } from "@remix-run/node";
import { useNavigate } from "@remix-run/react";
import { BlockStack, Box, Layout, Page, Text } from "@shopify/polaris";
import { useT } from "../../i18n/i18n";
import type { resultsPage } from "../pages.server";
import { ScenarioStatusBadge, useTriggerText } from "./labels";
import { ResultsTimeline, ResultsTotals } from "./results-view";

type Data = SerializeFrom<Awaited<ReturnType<typeof resultsPage>>>;

export function ScenarioResultsPage({ data }: { data: Data }) {
  const t = useT();
  const navigate = useNavigate();
  const triggerText = useTriggerText();
  const s = data.scenario;
  return (
    <Page
      title={t("scenarioPages.results.title", { name: s.name })}
      titleMetadata={<ScenarioStatusBadge status={s.status} />}
      subtitle={`${data.account} · ${triggerText(s.trigger, data.tags)}`}
      backAction={{ content: s.name, onAction: () => navigate(`/app/scenarios/${s.id}`) }}
      primaryAction={{ content: t("scenarioPages.results.edit"), onAction: () => navigate(`/app/scenarios/${s.id}`) }}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ResultsTotals data={data} />
            {data.steps.length === 0 ? (
              <Box paddingInline={{ xs: "400", sm: "0" }}>
                <Text as="p" tone="subdued">
                  {t("scenarioPages.results.none")}
                </Text>
              </Box>
            ) : (
              <ResultsTimeline data={data} />
            )}
            {/* On a phone cards reach the screen's edges; the note keeps a margin. */}
            <Box paddingInline={{ xs: "400", sm: "0" }}>
              <Text as="p" variant="bodySm" tone="subdued">
                {t("scenarioPages.results.attribution")}
              </Text>
            </Box>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
