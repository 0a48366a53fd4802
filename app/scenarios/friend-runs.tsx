// The friend page's step scenarios: each run of this friend and where it stands (the next step and when, or how
// it ended), "stop this run", and starting a scenario for this friend by hand. Both post to /app/scenarios/runs.
import type { SerializeFrom } from "@remix-run/node";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Divider, InlineStack, Link, Select, Text } from "@shopify/polaris";
import { Fragment, useEffect, useState } from "react";
import { useShopTime } from "../broadcasts/components/labels";
import { ConfirmModal } from "../components/confirm-modal";
import { SectionCard } from "../components/section-card";
import { isMessageKey, useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { RunStatusBadge, useReason } from "./components/labels";
import type { friendRunsSection } from "./pages.server";

type Section = SerializeFrom<Awaited<ReturnType<typeof friendRunsSection>>>;
type Run = Section["runs"][number];
type Answer = { ok: true; intent: string } | { ok: false; errors: Record<string, string> };

export const RUNS_ACTION = "/app/scenarios/runs";

function useWhere(timeZone: string) {
  const t = useT();
  const reason = useReason();
  const shopTime = useShopTime(timeZone);
  return (run: Run) => {
    if (run.status === "active") {
      if (run.now?.state === "waiting") return t("scenarioPages.run.waiting", { n: run.now.number, total: run.steps });
      if (run.now?.state === "sending") return t("scenarioPages.run.sending", { n: run.now.number, total: run.steps });
      if (!run.next) return t("scenarioPages.run.noNext");
      return run.next.dueAt ? t("scenarioPages.run.next", { n: run.next.number, total: run.steps, when: shopTime(run.next.dueAt) }) : t("scenarioPages.run.nextSoon", { n: run.next.number, total: run.steps });
    }
    const when = shopTime(run.endedAt);
    return run.endReason ? t("scenarioPages.run.endedBecause", { when, reason: reason(run.endReason) }) : t("scenarioPages.run.ended", { when });
  };
}

export function FriendRuns(props: { friendId: string; section: Section; timeZone: string }) {
  const t = useT();
  const where = useWhere(props.timeZone);
  const shopTime = useShopTime(props.timeZone);
  const fetcher = useFetcher<Answer>();
  const [stopping, setStopping] = useState<Run | null>(null);
  const [scenarioId, setScenarioId] = useState("");
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const errorKey = answer && !answer.ok ? Object.values(answer.errors)[0] : undefined;
  const error = errorKey ? (isMessageKey(errorKey) ? t(errorKey as MessageKey) : errorKey) : undefined;
  const busy = (intent: string) => fetcher.state !== "idle" && fetcher.formData?.get("intent") === intent;
  const post = (fields: Record<string, string>) => fetcher.submit(fields, { method: "post", action: RUNS_ACTION });
  const { runs, startable } = props.section;
  const chosen = startable.some((s) => s.id === scenarioId) ? scenarioId : "";
  useEffect(() => {
    if (answer?.ok) setStopping(null);
  }, [answer]);

  return (
    <SectionCard title={t("scenarioPages.friend.heading")}>
      {error && <Banner tone="critical">{error}</Banner>}
      {runs.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("scenarioPages.friend.none")}
        </Text>
      ) : (
        <BlockStack gap="300">
          {runs.map((run, index) => (
            <Fragment key={run.id}>
              {index > 0 && <Divider />}
              <BlockStack gap="100">
                <InlineStack align="space-between" blockAlign="center" gap="200" wrap={false}>
                  <Link url={`/app/scenarios/${run.scenarioId}`} removeUnderline>
                    {run.scenario}
                  </Link>
                  <RunStatusBadge status={run.status} />
                </InlineStack>
                <Text as="p" variant="bodySm">
                  {where(run)}
                </Text>
                <Text as="p" variant="bodySm" tone="subdued">
                  {t("scenarioPages.run.progress", { sent: run.sent, total: run.steps, when: shopTime(run.startedAt) })}
                </Text>
                {run.status === "active" && (
                  <Box>
                    <Button size="slim" tone="critical" variant="plain" onClick={() => setStopping(run)}>
                      {t("scenarioPages.run.stop")}
                    </Button>
                  </Box>
                )}
              </BlockStack>
            </Fragment>
          ))}
        </BlockStack>
      )}
      <Divider />
      {startable.length === 0 ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {t("scenarioPages.friend.noneToStart")}
        </Text>
      ) : (
        <InlineStack gap="200" blockAlign="end" wrap={false}>
          <div style={{ flex: 1, minWidth: 0 }}>
            <Select
              label={t("scenarioPages.friend.start")}
              options={[{ label: t("scenarioPages.friend.choose"), value: "" }, ...startable.map((s) => ({ label: s.name, value: s.id }))]}
              value={chosen}
              onChange={setScenarioId}
            />
          </div>
          <Button disabled={!chosen} loading={busy("start")} onClick={() => post({ intent: "start", friendId: props.friendId, scenarioId: chosen })}>
            {t("scenarioPages.friend.startButton")}
          </Button>
        </InlineStack>
      )}
      {stopping && (
        <ConfirmModal
          title={t("scenarioPages.run.stopTitle", { name: stopping.scenario })}
          confirm={t("scenarioPages.run.stop")}
          cancel={t("scenarioPages.cancel")}
          loading={busy("stop")}
          error={error}
          onClose={() => setStopping(null)}
          onConfirm={() => post({ intent: "stop", runId: stopping.id })}
        >
          <Text as="p">{t("scenarioPages.run.stopBody")}</Text>
        </ConfirmModal>
      )}
    </SectionCard>
  );
}
