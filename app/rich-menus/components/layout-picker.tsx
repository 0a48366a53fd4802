// LINE's usual layouts as thumbnails of their areas, for the menu's size, and the free grid (columns × rows, up to
// 20 areas, each then adjustable by its coordinates).
import { BlockStack, InlineStack, Text, TextField } from "@shopify/polaris";
import { useT } from "../../i18n/i18n";
import { LIMITS, SIZES, TEMPLATES, templatesOf, type Bounds, type Layout, type MenuSize } from "../templates";

function Thumbnail(props: { size: MenuSize; areas: Bounds[] }) {
  const { width, height } = SIZES[props.size];
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="96" height={Math.round((96 * height) / width)} aria-hidden="true" style={{ display: "block" }}>
      <rect x="0" y="0" width={width} height={height} fill="#e8f5ec" />
      {props.areas.map((b, i) => (
        <g key={i}>
          <rect x={b.x + 20} y={b.y + 20} width={b.width - 40} height={b.height - 40} rx="40" fill="#06c755" fillOpacity={0.25 + 0.1 * (i % 3)} stroke="#06c755" strokeWidth="24" />
          <text x={b.x + b.width / 2} y={b.y + b.height / 2 + 90} textAnchor="middle" fontSize="260" fill="#0b5e2f" fontFamily="sans-serif">
            {i + 1}
          </text>
        </g>
      ))}
    </svg>
  );
}

/** Equal cells of a columns × rows grid over the menu size. */
export function gridAreas(size: MenuSize, columns: number, rows: number): Bounds[] {
  const { width, height } = SIZES[size];
  const xs = Array.from({ length: columns + 1 }, (_, i) => Math.round((width * i) / columns));
  const ys = Array.from({ length: rows + 1 }, (_, i) => Math.round((height * i) / rows));
  return ys.slice(0, -1).flatMap((y, r) => xs.slice(0, -1).map((x, c) => ({ x, y, width: xs[c + 1]! - x, height: ys[r + 1]! - y })));
}

export function LayoutPicker(props: {
  size: MenuSize;
  layout: Layout;
  grid: { columns: number; rows: number };
  onTemplate: (layout: Layout) => void;
  onGrid: (grid: { columns: number; rows: number }) => void;
  error?: string;
}) {
  const t = useT();
  const choices: Layout[] = [...templatesOf(props.size), "grid"];
  const cells = props.grid.columns * props.grid.rows;
  const setGrid = (field: "columns" | "rows", value: string) => {
    const n = Math.max(1, Math.min(LIMITS.areas, Math.floor(Number(value) || 1)));
    props.onGrid({ ...props.grid, [field]: n });
  };
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {t("richMenuPages.editor.layout")}
      </Text>
      <div role="radiogroup" aria-label={t("richMenuPages.editor.layout")} style={{ display: "flex", flexWrap: "wrap", gap: 8 }}>
        {choices.map((id) => {
          const chosen = props.layout === id;
          const areas = id === "grid" ? gridAreas(props.size, props.grid.columns, props.grid.rows) : TEMPLATES[id].areas;
          return (
            <button
              key={id}
              type="button"
              role="radio"
              aria-checked={chosen}
              data-layout={id}
              onClick={() => (id === "grid" ? props.onGrid(props.grid) : props.onTemplate(id))}
              style={{ border: chosen ? "2px solid #005bd3" : "1px solid #c9cccf", borderRadius: 8, padding: chosen ? 5 : 6, background: chosen ? "#f0f6ff" : "#fff", cursor: "pointer", font: "inherit" }}
            >
              <Thumbnail size={props.size} areas={areas} />
              <Text as="span" variant="bodySm">
                {id === "grid" ? t("richMenuPages.layout.grid") : (areas.length === 1 ? t("richMenuPages.layout.single") : t("richMenuPages.layout.template", { count: areas.length }))}
              </Text>
            </button>
          );
        })}
      </div>
      <Text as="p" variant="bodySm" tone="subdued">
        {t("richMenuPages.editor.layoutHelp")}
      </Text>
      {props.layout === "grid" ? (
        <InlineStack gap="200" wrap={false}>
          <TextField label={t("richMenuPages.grid.columns")} type="number" min={1} max={LIMITS.areas} value={String(props.grid.columns)} onChange={(v) => setGrid("columns", v)} autoComplete="off" />
          <TextField label={t("richMenuPages.grid.rows")} type="number" min={1} max={LIMITS.areas} value={String(props.grid.rows)} onChange={(v) => setGrid("rows", v)} autoComplete="off" error={cells > LIMITS.areas ? t("richMenuPages.grid.tooMany") : undefined} />
        </InlineStack>
      ) : null}
      {props.error ? (
        <Text as="p" tone="critical">
          {props.error}
        </Text>
      ) : null}
    </BlockStack>
  );
}
