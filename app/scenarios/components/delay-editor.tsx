// When a step goes: after an amount of minutes/hours/days (from the previous step or from the start), or on day N
// of the run at a time of day on the shop's clock.
import { BlockStack, ChoiceList, InlineGrid, Select, Text, TextField } from "@shopify/polaris";
import { useT } from "../../i18n/i18n";
import type { Delay, FieldError } from "./draft";

const wholeNumber = (value: string) => (value.trim() === "" || !/^\d+$/.test(value.trim()) ? Number.NaN : Number(value));

export function DelayEditor(props: { value: Delay; onChange: (delay: Delay) => void; first: boolean; timeZone: string; error: FieldError }) {
  const t = useT();
  const delay = props.value;
  const setKind = (kind: string) =>
    props.onChange(kind === "dayAt" ? { kind: "dayAt", day: 1, time: "10:00" } : { kind: "after", amount: 1, unit: "days", from: props.first ? "start" : "previous" });
  return (
    <BlockStack gap="300">
      <ChoiceList
        title={t("scenarioPages.delay.heading")}
        choices={[
          { label: t("scenarioPages.delay.kind.after"), value: "after" },
          { label: t("scenarioPages.delay.kind.dayAt"), value: "dayAt" },
        ]}
        selected={[delay.kind]}
        onChange={([kind]) => setKind(kind)}
      />
      {delay.kind === "after" ? (
        <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
          <TextField
            label={t("scenarioPages.delay.amountLabel")}
            type="number"
            min={0}
            value={Number.isNaN(delay.amount) ? "" : String(delay.amount)}
            onChange={(value) => props.onChange({ ...delay, amount: wholeNumber(value) })}
            autoComplete="off"
            error={props.error("delay.amount", "delay")}
          />
          <Select
            label={t("scenarioPages.delay.unitLabel")}
            options={(["minutes", "hours", "days"] as const).map((unit) => ({ value: unit, label: t(`scenarioPages.delay.unit.${unit}`) }))}
            value={delay.unit}
            onChange={(unit) => props.onChange({ ...delay, unit: unit as typeof delay.unit })}
            error={props.error("delay.unit")}
          />
          <Select
            label={t("scenarioPages.delay.fromLabel")}
            options={[
              { value: "previous", label: t("scenarioPages.delay.from.previous") },
              { value: "start", label: t("scenarioPages.delay.from.start") },
            ]}
            value={props.first ? "start" : delay.from}
            disabled={props.first}
            onChange={(from) => props.onChange({ ...delay, from: from as typeof delay.from })}
            error={props.error("delay.from")}
          />
        </InlineGrid>
      ) : (
        <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
          <TextField
            label={t("scenarioPages.delay.dayLabel")}
            type="number"
            min={0}
            value={Number.isNaN(delay.day) ? "" : String(delay.day)}
            onChange={(value) => props.onChange({ ...delay, day: wholeNumber(value) })}
            autoComplete="off"
            helpText={t("scenarioPages.delay.dayHelp")}
            error={props.error("delay.day", "delay")}
          />
          <TextField
            label={t("scenarioPages.delay.timeLabel", { timeZone: props.timeZone })}
            type="time"
            value={delay.time}
            onChange={(time) => props.onChange({ ...delay, time })}
            autoComplete="off"
            error={props.error("delay.time")}
          />
        </InlineGrid>
      )}
      {delay.kind === "dayAt" && (
        <Text as="p" variant="bodySm" tone="subdued">
          {t("scenarioPages.delay.dayAtNote", { timeZone: props.timeZone })}
        </Text>
      )}
    </BlockStack>
  );
}
