// The cart analytics' per-day charts: bars on a value axis with rounded ticks and their unit, drawn at the width
// they are shown at (a phone gets fewer day labels, not smaller letters).
import { BlockStack, InlineStack, Text } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { niceTicks, tickText } from "./chart-scale";

export type ChartSeries = { label: string; color: string; values: number[]; /** narrower, in front of the first */ inner?: boolean };

const dayText = (day: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { month: "numeric", day: "numeric", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));

/** The width of the element, once it is known in the browser (until then, `initial`). */
function useWidth(initial: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(200, Math.floor(element.getBoundingClientRect().width)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

export function BarChart(props: {
  days: string[];
  series: ChartSeries[];
  locale: string;
  /** The value axis' unit: a word ("件") or a currency code for money ticks. */
  unit: { word: string } | { currency: string };
  label: string;
  testId?: string;
}) {
  const { ref, width } = useWidth(640);
  const height = 200;
  const bottom = 24;
  const top = 18;
  const money = "currency" in props.unit ? props.unit.currency : null;
  const max = Math.max(0, ...props.series.flatMap((s) => s.values));
  const ticks = niceTicks(max, 4, !money);
  const tickLabels = ticks.map((value) => tickText(value, props.locale, money));
  const left = Math.max(28, 8 + 7 * Math.max(...tickLabels.map((label) => label.length)));
  const plot = width - left - 4;
  const top1 = ticks[ticks.length - 1] || 1;
  const y = (value: number) => height - bottom - (value / top1) * (height - bottom - top);
  const slot = plot / Math.max(1, props.days.length);
  const bar = Math.max(2, Math.min(24, slot * 0.7));
  // Day labels about 48 px apart, whatever the width.
  const every = Math.max(1, Math.ceil(48 / slot));
  return (
    <BlockStack gap="200">
      <div ref={ref} style={{ width: "100%", overflow: "hidden" }}>
        <svg width={width} height={height} role="img" aria-label={props.label} data-testid={props.testId} style={{ display: "block" }}>
          {ticks.map((value, index) => (
            <g key={value}>
              <line x1={left} x2={width - 4} y1={y(value)} y2={y(value)} stroke={index === 0 ? "#b5b5b5" : "#ebebeb"} />
              <text x={left - 6} y={y(value) + 4} fontSize={11} fill="#616161" textAnchor="end">
                {tickLabels[index]}
              </text>
            </g>
          ))}
          {"word" in props.unit && (
            <text x={0} y={10} fontSize={11} fill="#616161" textAnchor="start">
              {props.unit.word}
            </text>
          )}
          {props.days.map((day, index) => {
            const x = left + index * slot + (slot - bar) / 2;
            return (
              <g key={day}>
                <title>{`${dayText(day, props.locale)}: ${props.series.map((s) => `${s.label} ${money ? tickText(s.values[index], props.locale, money) : s.values[index]}`).join(" / ")}`}</title>
                {props.series.map((s) => {
                  const value = s.values[index];
                  if (!value) return null;
                  const w = s.inner ? bar / 2 : bar;
                  return <rect key={s.label} x={s.inner ? x + bar / 4 : x} y={y(value)} width={w} height={height - bottom - y(value)} rx={2} fill={s.color} />;
                })}
                {(index % every === 0 || index === props.days.length - 1) && (index === props.days.length - 1 ? true : props.days.length - 1 - index >= every / 2) && (
                  <text x={left + index * slot + slot / 2} y={height - 6} fontSize={11} fill="#616161" textAnchor="middle">
                    {dayText(day, props.locale)}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      </div>
      <InlineStack gap="400" wrap>
        {props.series.map((s) => (
          <InlineStack key={s.label} gap="100" blockAlign="center" wrap={false}>
            <span aria-hidden style={{ width: 12, height: 12, borderRadius: 2, background: s.color, display: "inline-block" }} />
            <Text as="span" variant="bodySm">
              {s.label}
            </Text>
          </InlineStack>
        ))}
      </InlineStack>
    </BlockStack>
  );
}
