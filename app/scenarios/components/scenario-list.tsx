// The scenarios list: each scenario's status with a switch, its trigger in words, runs in progress and ended, and
// the step messages sent today.
import type { SerializeFrom } from "@remix-run/node";
import { useNavigate } from "@remix-run/react";
import { BlockStack, Button, IndexTable, InlineStack, Text, useBreakpoints } from "@shopify/polaris";
import { Truncated } from "../../components/truncated";
import { useT } from "../../i18n/i18n";
import type { listPage } from "../pages.server";
import { ScenarioStatusBadge, useTriggerText } from "./labels";

type Data = SerializeFrom<Awaited<ReturnType<typeof listPage>>>;

export function ScenarioList(props: { data: Data; onToggle: (id: string, status: "on" | "off") => void; busyId: string | null }) {
  const t = useT();
  const navigate = useNavigate();
  const triggerText = useTriggerText();
  const { scenarios, tags } = props.data;
  const n = (value: number) => value.toLocaleString();
  const { smDown } = useBreakpoints();
  const toggle = (s: Data["scenarios"][number]) => (
    // The switch works inside the row without opening the scenario.
    <div onClick={(event) => event.stopPropagation()} onKeyDown={(event) => event.stopPropagation()} role="presentation">
      <InlineStack gap="200" blockAlign="center" wrap={false}>
        <ScenarioStatusBadge status={s.status} />
        <Button
          size="slim"
          loading={props.busyId === s.id}
          accessibilityLabel={t(s.status === "on" ? "scenarioPages.turnOffLabel" : "scenarioPages.turnOnLabel", { name: s.name })}
          onClick={() => props.onToggle(s.id, s.status === "on" ? "off" : "on")}
        >
          {t(s.status === "on" ? "scenarioPages.turnOff" : "scenarioPages.turnOn")}
        </Button>
      </InlineStack>
    </div>
  );
  if (smDown) {
    // A phone: one cell per scenario, the figures in a line.
    return (
      <IndexTable condensed resourceName={{ singular: t("scenarioPages.resource.singular"), plural: t("scenarioPages.resource.plural") }} itemCount={scenarios.length} selectable={false} headings={[{ title: t("scenarioPages.column.name") }]}>
        {scenarios.map((s, index) => (
          <IndexTable.Row id={s.id} key={s.id} position={index} onClick={() => navigate(`/app/scenarios/${s.id}`)}>
            <div style={{ padding: "12px 16px" }}>
              <BlockStack gap="200">
                <InlineStack align="space-between" blockAlign="center" gap="200" wrap={false}>
                  <div style={{ minWidth: 0 }}>
                    <BlockStack gap="050">
                      <Truncated text={s.name} bold maxWidth="55vw" />
                      <Text as="span" variant="bodySm" tone="subdued">
                        <span translate="no">{s.account}</span>
                        {` · ${triggerText(s.trigger, tags)}`}
                      </Text>
                    </BlockStack>
                  </div>
                  {toggle(s)}
                </InlineStack>
                <Text as="p" variant="bodySm" tone="subdued">
                  {t("scenarioPages.list.figures", { steps: n(s.steps), active: n(s.runs.active), finished: n(s.runs.finished), ended: n(s.runs.ended), sent: n(s.sentToday) })}
                </Text>
              </BlockStack>
            </div>
          </IndexTable.Row>
        ))}
      </IndexTable>
    );
  }
  return (
    <IndexTable
      resourceName={{ singular: t("scenarioPages.resource.singular"), plural: t("scenarioPages.resource.plural") }}
      itemCount={scenarios.length}
      selectable={false}
      headings={[
        { title: t("scenarioPages.column.name") },
        { title: t("scenarioPages.column.status") },
        { title: t("scenarioPages.column.trigger") },
        { title: t("scenarioPages.column.steps"), alignment: "end" },
        { title: t("scenarioPages.column.active"), alignment: "end" },
        { title: t("scenarioPages.column.finished"), alignment: "end" },
        { title: t("scenarioPages.column.ended"), alignment: "end" },
        { title: t("scenarioPages.column.sentToday"), alignment: "end" },
      ]}
    >
      {scenarios.map((s, index) => (
        <IndexTable.Row id={s.id} key={s.id} position={index} onClick={() => navigate(`/app/scenarios/${s.id}`)}>
          <IndexTable.Cell>
            <Truncated text={s.name} bold maxWidth="18rem" />
            <Text as="p" variant="bodySm" tone="subdued">
              <Truncated text={s.account} maxWidth="18rem" />
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>{toggle(s)}</IndexTable.Cell>
          <IndexTable.Cell>{triggerText(s.trigger, tags)}</IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {n(s.steps)}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {n(s.runs.active)}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {n(s.runs.finished)}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {n(s.runs.ended)}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {n(s.sentToday)}
            </Text>
          </IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}
