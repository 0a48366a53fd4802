// A small bar chart drawn as inline SVG: one bar per day, the largest value and zero on the y-axis, the first,
// middle and last day under it. It scales with its card (the viewBox stretches), so it fits at 390 px too.
import { Text, BlockStack } from "@shopify/polaris";
import { useT } from "../i18n/i18n";

// About the pixel size of a half-width chart at 1280 px and a full-width one at 390 px, so the labels stay legible.
const W = 300;
const H = 130;
const LEFT = 30;
const BOTTOM = 18;
const TOP = 8;
const FONT = 11;

const dayLabel = (date: string) => `${Number(date.slice(5, 7))}/${Number(date.slice(8, 10))}`;

export function BarChart(props: { title: string; data: { date: string; value: number }[]; color?: string; name?: string }) {
  const t = useT();
  const max = Math.max(0, ...props.data.map((point) => point.value));
  const total = props.data.reduce((sum, point) => sum + point.value, 0);
  const top = max === 0 ? 1 : max;
  const plotW = W - LEFT - 4;
  const plotH = H - TOP - BOTTOM;
  const slot = plotW / Math.max(props.data.length, 1);
  const bar = Math.max(slot * 0.7, 1);
  const ticks = props.data.length > 2 ? [0, Math.floor((props.data.length - 1) / 2), props.data.length - 1] : props.data.map((_, index) => index);
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm">
        {props.title}
      </Text>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={t("home.chart.summary", { title: props.title, total, max })} data-chart={props.name} style={{ display: "block" }}>
        <line x1={LEFT} y1={TOP} x2={W - 4} y2={TOP} stroke="#e1e3e5" />
        <line x1={LEFT} y1={TOP + plotH / 2} x2={W - 4} y2={TOP + plotH / 2} stroke="#f1f2f4" />
        <line x1={LEFT} y1={TOP + plotH} x2={W - 4} y2={TOP + plotH} stroke="#8c9196" />
        <text x={LEFT - 6} y={TOP + 4} fontSize={FONT} textAnchor="end" fill="#6d7175">
          {max}
        </text>
        <text x={LEFT - 6} y={TOP + plotH + 4} fontSize={FONT} textAnchor="end" fill="#6d7175">
          0
        </text>
        {props.data.map((point, index) => {
          const height = (point.value / top) * plotH;
          return (
            <rect key={point.date} data-day={point.date} x={LEFT + index * slot + (slot - bar) / 2} y={TOP + plotH - height} width={bar} height={height} rx={Math.min(2, bar / 3)} fill={props.color ?? "#06c755"}>
              <title>{`${dayLabel(point.date)}: ${point.value}`}</title>
            </rect>
          );
        })}
        {ticks.map((index) => (
          <text key={index} x={LEFT + index * slot + slot / 2} y={H - 4} fontSize={FONT} textAnchor={index === 0 ? "start" : index === props.data.length - 1 ? "end" : "middle"} fill="#6d7175">
            {dayLabel(props.data[index].date)}
          </text>
        ))}
      </svg>
    </BlockStack>
  );
}
