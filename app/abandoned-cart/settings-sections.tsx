// The cards of the cart-reminder settings form, top to bottom: when, on/off, tags, message, colours, links, delivery.
import { Badge, Banner, BlockStack, Box, Checkbox, ChoiceList, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import { SectionCard } from "../components/section-card";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { withQueryParams } from "./links";
import { contrastRatio, DELAY_OPTIONS, queryParamsError, readableTextColor, RECOMMENDED_DELAY_MINUTES, SETTINGS_LIMITS } from "./settings-rules";
import { ColorField, HEX, TagListField } from "./settings-fields";
import type { CartSettingsFormState } from "./settings-page";

type Props = {
  state: CartSettingsFormState;
  set: <K extends keyof CartSettingsFormState>(field: K) => (value: CartSettingsFormState[K]) => void;
  /** The server's error for a field, in words. */
  error: (field: string) => string | undefined;
};

function delayLabel(t: ReturnType<typeof useT>, minutes: number) {
  return minutes === 0 ? t("cart.delay.immediately") : t("cart.delay.hours", { count: minutes / 60 });
}

export function TimingSections(props: Props & { storedEnabled: boolean; scheduled: number }) {
  const t = useT();
  const { state, set, error } = props;
  return (
    <>
      <SectionCard title={t("cart.section.delay")}>
        <ChoiceList
          title={t("cart.delay.label")}
          titleHidden
          selected={[state.delayMinutes]}
          onChange={([value]) => set("delayMinutes")(value)}
          error={error("delayMinutes")}
          choices={DELAY_OPTIONS.map((minutes) => ({
            value: String(minutes),
            label:
              minutes === RECOMMENDED_DELAY_MINUTES ? (
                <InlineStack gap="200" blockAlign="center">
                  <span>{delayLabel(t, minutes)}</span>
                  <Badge tone="success">{t("cart.delay.recommended")}</Badge>
                </InlineStack>
              ) : (
                delayLabel(t, minutes)
              ),
          }))}
        />
        <Text as="p" tone="subdued">
          {t("cart.delay.help")}
        </Text>
      </SectionCard>
      <SectionCard title={t("cart.section.status")}>
        <ChoiceList
          title={t("cart.status.label")}
          titleHidden
          selected={[state.enabled ? "on" : "off"]}
          onChange={([value]) => set("enabled")(value === "on")}
          error={error("enabled")}
          choices={[
            { value: "on", label: t("cart.status.on"), helpText: t("cart.status.onHelp") },
            { value: "off", label: t("cart.status.off"), helpText: t("cart.status.offHelp") },
          ]}
        />
        {props.storedEnabled && !state.enabled && props.scheduled > 0 && (
          <Banner tone="warning">{t("cart.status.willCancel", { count: props.scheduled })}</Banner>
        )}
      </SectionCard>
      <SectionCard title={t("cart.section.advanced")}>
        <TagListField
          label={t("cart.tagsToAdd.label")}
          helpText={t("cart.tagsToAdd.help")}
          values={state.tagsToAdd}
          onChange={set("tagsToAdd")}
          error={error("tagsToAdd")}
        />
        <TagListField
          label={t("cart.tagsToRemove.label")}
          helpText={t("cart.tagsToRemove.help")}
          values={state.tagsToRemove}
          onChange={set("tagsToRemove")}
          error={error("tagsToRemove")}
        />
      </SectionCard>
    </>
  );
}

export function MessageSections(props: Props) {
  const t = useT();
  const { state, set, error } = props;
  const text = (field: "title" | "body" | "moreItemsText" | "buttonText", help?: MessageKey, multiline?: number) => (
    <TextField
      label={t(`cart.field.${field}`)}
      helpText={help ? t(help) : undefined}
      value={state[field]}
      onChange={set(field)}
      multiline={multiline}
      maxLength={SETTINGS_LIMITS[field]}
      showCharacterCount
      autoComplete="off"
      error={error(field)}
    />
  );
  const colorError = (field: "headerColor" | "buttonColor") =>
    error(field) ?? (HEX.test(state[field].trim()) ? undefined : t(`cart.error.${field}`));
  return (
    <>
      <SectionCard title={t("cart.section.message")}>
        <FormLayout>
          {text("title")}
          {text("body", undefined, 3)}
          {text("moreItemsText", "cart.field.moreItemsTextHelp")}
          {text("buttonText", "cart.field.buttonTextHelp")}
        </FormLayout>
      </SectionCard>
      <SectionCard title={t("cart.section.colors")}>
        <FormLayout>
          <FormLayout.Group>
            <ColorField
              label={t("cart.field.headerColor")}
              value={state.headerColor}
              onChange={set("headerColor")}
              error={colorError("headerColor")}
              note={(color) =>
                t("cart.color.headerText", {
                  color: t(readableTextColor(color) === "#FFFFFF" ? "cart.color.white" : "cart.color.dark"),
                  ratio: contrastRatio(color, readableTextColor(color)).toFixed(1),
                })
              }
            />
            <ColorField
              label={t("cart.field.buttonColor")}
              value={state.buttonColor}
              onChange={set("buttonColor")}
              error={colorError("buttonColor")}
              note={(color) => {
                const ratio = contrastRatio(color, "#FFFFFF");
                // LINE's own green is 2.3:1; warn only when white text becomes really hard to read.
                return t(ratio < 2 ? "cart.color.buttonLowContrast" : "cart.color.buttonText", { ratio: ratio.toFixed(1) });
              }}
            />
          </FormLayout.Group>
        </FormLayout>
      </SectionCard>
    </>
  );
}

export function DeliverySections(props: Props & { recoveryUrl: string; timeZone: string }) {
  const t = useT();
  const { state, set, error } = props;
  const problem = queryParamsError(state.queryParams);
  const queryError = error("queryParams") ?? (problem ? t(problem as MessageKey) : undefined);
  const time = (field: "quietStart" | "quietEnd", label: MessageKey) => (
    <TextField
      label={t(label, { timeZone: props.timeZone })}
      type="time"
      value={state[field]}
      onChange={set(field)}
      disabled={!state.quietHoursEnabled}
      autoComplete="off"
      error={error(field)}
    />
  );
  return (
    <>
      <SectionCard title={t("cart.section.query")}>
        <TextField
          label={t("cart.field.queryParams")}
          helpText={t("cart.field.queryParamsHelp")}
          value={state.queryParams}
          onChange={set("queryParams")}
          placeholder="utm_source=line&utm_medium=abandoned_cart&utm_campaign=recover"
          maxLength={SETTINGS_LIMITS.queryParams}
          autoComplete="off"
          monospaced
          error={queryError}
        />
        {!queryError && (
          <BlockStack gap="100">
            <Text as="p" tone="subdued">
              {t("cart.query.example")}
            </Text>
            <Box background="bg-surface-secondary" padding="200" borderRadius="200">
              <Text as="p" breakWord>
                <code data-testid="recovery-example">{withQueryParams(props.recoveryUrl, state.queryParams)}</code>
              </Text>
            </Box>
          </BlockStack>
        )}
      </SectionCard>
      <SectionCard title={t("cart.section.delivery")}>
        <Checkbox
          label={t("cart.quiet.enabled")}
          helpText={t("cart.quiet.help", { timeZone: props.timeZone })}
          checked={state.quietHoursEnabled}
          onChange={set("quietHoursEnabled")}
          error={error("quietHoursEnabled")}
        />
        <FormLayout.Group condensed>
          {time("quietStart", "cart.quiet.start")}
          {time("quietEnd", "cart.quiet.end")}
        </FormLayout.Group>
        <TextField
          label={t("cart.field.attributionDays")}
          helpText={t("cart.field.attributionDaysHelp")}
          type="number"
          min={1}
          max={30}
          suffix={t("cart.field.days")}
          value={state.attributionDays}
          onChange={set("attributionDays")}
          autoComplete="off"
          error={error("attributionDays")}
        />
      </SectionCard>
    </>
  );
}
