// Scenario-wide settings: re-entry, quiet hours on the shop's clock, how late a held-back step may still go, UTM.
import { BlockStack, Checkbox, InlineStack, TextField } from "@shopify/polaris";
import { useT } from "../../i18n/i18n";
import { SectionCard } from "../../components/section-card";
import type { FieldError, ScenarioDraft } from "./draft";

type Settings = Pick<ScenarioDraft, "allowReentry" | "quietHours" | "quietStart" | "quietEnd" | "latenessHours" | "utmParams">;

export function SettingsCard(props: { value: Settings; onChange: (patch: Partial<Settings>) => void; timeZone: string; error: FieldError }) {
  const t = useT();
  const { value, onChange } = props;
  return (
    <SectionCard title={t("scenarioPages.settings.heading")} gap="400">
      <Checkbox label={t("scenarioPages.settings.reentry")} helpText={t("scenarioPages.settings.reentryHelp")} checked={value.allowReentry} onChange={(allowReentry) => onChange({ allowReentry })} />
      <BlockStack gap="200">
        <Checkbox
          label={t("scenarioPages.settings.quietHours")}
          helpText={t("scenarioPages.settings.quietHoursHelp", { start: value.quietStart, end: value.quietEnd, timeZone: props.timeZone })}
          checked={value.quietHours}
          onChange={(quietHours) => onChange({ quietHours })}
        />
        {value.quietHours && (
          <InlineStack gap="300" wrap>
            <TextField label={t("scenarioPages.settings.quietStart")} type="time" value={value.quietStart} onChange={(quietStart) => onChange({ quietStart })} autoComplete="off" error={props.error("quietStart")} />
            <TextField label={t("scenarioPages.settings.quietEnd")} type="time" value={value.quietEnd} onChange={(quietEnd) => onChange({ quietEnd })} autoComplete="off" error={props.error("quietEnd")} />
          </InlineStack>
        )}
      </BlockStack>
      <TextField
        label={t("scenarioPages.settings.lateness")}
        type="number"
        min={1}
        suffix={t("scenarioPages.settings.hours")}
        value={Number.isNaN(value.latenessHours) ? "" : String(value.latenessHours)}
        onChange={(text) => onChange({ latenessHours: /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN })}
        autoComplete="off"
        helpText={t("scenarioPages.settings.latenessHelp")}
        error={props.error("latenessHours")}
      />
      <TextField
        label={t("scenarioPages.settings.utm")}
        value={value.utmParams}
        onChange={(utmParams) => onChange({ utmParams })}
        autoComplete="off"
        monospaced
        helpText={t("scenarioPages.settings.utmHelp")}
        error={props.error("utmParams")}
      />
    </SectionCard>
  );
}
