// The reporting period of a page, in its URL: preset periods, a custom range in a calendar, and "compare with the
// previous period". Days are the shop's calendar days (the loader says which day is today there).
import { useSearchParams } from "@remix-run/react";
import { BlockStack, Box, Button, Checkbox, DatePicker, InlineStack, OptionList, Popover, Text } from "@shopify/polaris";
import { CalendarIcon } from "@shopify/polaris-icons";
import { useState } from "react";
import { useLocale, useT } from "../i18n/i18n";
import { dayCount, previousPeriod, RANGE_PRESETS, presetRange, rangeParams, type DateRange, type RangePreset } from "./date-range";

const toDate = (day: string) => new Date(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
const toDay = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;

/** "3/1–3/31" (with the year when the period is not in this year). */
export function periodText(range: { from: string; to: string }, locale: string, today: string) {
  const withYear = range.from.slice(0, 4) !== today.slice(0, 4) || range.to.slice(0, 4) !== today.slice(0, 4);
  const format = new Intl.DateTimeFormat(locale, { ...(withYear ? { year: "numeric" } : {}), month: "numeric", day: "numeric", timeZone: "UTC" });
  const day = (value: string) => format.format(new Date(`${value}T00:00:00Z`));
  return range.from === range.to ? day(range.from) : `${day(range.from)}–${day(range.to)}`;
}

export function DateRangePicker(props: { range: DateRange; today: string; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  const [params, setParams] = useSearchParams();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState({ from: props.range.from, to: props.range.to });
  const [month, setMonth] = useState({ month: toDate(props.range.to).getMonth(), year: toDate(props.range.to).getFullYear() });
  const go = (range: { from: string; to: string; compare: boolean }) => setParams(rangeParams(params, range), { preventScrollReset: true });

  const toggle = () => {
    setDraft({ from: props.range.from, to: props.range.to });
    setMonth({ month: toDate(props.range.to).getMonth(), year: toDate(props.range.to).getFullYear() });
    setOpen((value) => !value);
  };
  const choosePreset = (preset: RangePreset) => {
    const days = presetRange(preset, props.today);
    setDraft(days);
    setMonth({ month: toDate(days.to).getMonth(), year: toDate(days.to).getFullYear() });
  };
  const apply = () => {
    setOpen(false);
    go({ ...draft, compare: props.range.compare });
  };
  const label = props.range.preset === "custom" ? periodText(props.range, locale, props.today) : t(`dateRange.preset.${props.range.preset}`);
  const draftPreset = RANGE_PRESETS.find((preset) => {
    const days = presetRange(preset, props.today);
    return days.from === draft.from && days.to === draft.to;
  });
  const previous = previousPeriod(props.range);

  return (
    <div data-testid="date-range">
      <InlineStack gap="300" blockAlign="center" wrap>
        <Popover
          active={open}
          onClose={() => setOpen(false)}
          autofocusTarget="none"
          preferredAlignment="left"
          fluidContent
          activator={
            <Button icon={CalendarIcon} onClick={toggle} disclosure={open ? "up" : "down"} accessibilityLabel={t("dateRange.label")}>
              {label}
            </Button>
          }
        >
          <Box padding="300" maxWidth="min(640px, calc(100vw - 32px))">
            <BlockStack gap="300">
              <InlineStack gap="400" wrap blockAlign="start">
                <Box minWidth="160px">
                  <OptionList
                    options={RANGE_PRESETS.map((preset) => ({ value: preset, label: t(`dateRange.preset.${preset}`) }))}
                    selected={draftPreset ? [draftPreset] : []}
                    onChange={([preset]) => preset && choosePreset(preset as RangePreset)}
                  />
                </Box>
                <Box minWidth="260px">
                  <BlockStack gap="200">
                    <DatePicker
                      month={month.month}
                      year={month.year}
                      onMonthChange={(m, y) => setMonth({ month: m, year: y })}
                      selected={{ start: toDate(draft.from), end: toDate(draft.to) }}
                      onChange={({ start, end }) => setDraft({ from: toDay(start), to: toDay(end ?? start) })}
                      disableDatesAfter={toDate(props.today)}
                      allowRange
                    />
                    <Text as="p" variant="bodySm" tone="subdued">
                      {t("dateRange.selected", { period: periodText(draft, locale, props.today), days: dayCount(draft.from, draft.to) })}
                    </Text>
                  </BlockStack>
                </Box>
              </InlineStack>
              <InlineStack align="end" gap="200">
                <Button onClick={() => setOpen(false)}>{t("dateRange.cancel")}</Button>
                <Button variant="primary" onClick={apply}>
                  {t("dateRange.apply")}
                </Button>
              </InlineStack>
            </BlockStack>
          </Box>
        </Popover>
        <Checkbox
          label={t("dateRange.compare")}
          checked={props.range.compare}
          onChange={(compare) => go({ from: props.range.from, to: props.range.to, compare })}
        />
      </InlineStack>
      <Box paddingBlockStart="100">
        <Text as="p" variant="bodySm" tone="subdued">
          {props.range.compare
            ? t("dateRange.summaryCompare", {
                period: periodText(props.range, locale, props.today),
                previous: periodText(previous, locale, props.today),
                timeZone: props.timeZone,
              })
            : t("dateRange.summary", { period: periodText(props.range, locale, props.today), timeZone: props.timeZone })}
        </Text>
      </Box>
    </div>
  );
}
