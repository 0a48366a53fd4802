// The menu as the friend will see it: the image with each tap area drawn over it, numbered and labelled with what
// it does. Areas are in the menu size's pixels; percentages keep them on the image at any width.
import { Text } from "@shopify/polaris";
import { useT } from "../../i18n/i18n";
import type { Area } from "../model";
import { SIZES, type MenuSize } from "../templates";
import { describeAction, type Names } from "./describe";

const COLORS = ["#2c6ecb", "#d72c0d", "#007f5f", "#8a6116", "#6d28d9", "#c0267d"];

export function MenuPreview(props: { imageUrl: string | null; size: MenuSize; areas: Area[]; names: Names; chatBarText: string; selected?: number; onSelect?: (index: number) => void }) {
  const t = useT();
  const { width, height } = SIZES[props.size];
  const pct = (value: number, of: number) => `${(value / of) * 100}%`;
  return (
    <div className="rm-preview" data-testid="rich-menu-preview">
      <div style={{ position: "relative", width: "100%", aspectRatio: `${width} / ${height}`, background: "#f1f2f4", borderRadius: 8, overflow: "hidden" }}>
        {props.imageUrl ? (
          <img src={props.imageUrl} alt="" style={{ position: "absolute", inset: 0, width: "100%", height: "100%", objectFit: "fill" }} />
        ) : (
          <div style={{ position: "absolute", inset: 0, display: "flex", alignItems: "center", justifyContent: "center", padding: 16, textAlign: "center" }}>
            <Text as="p" tone="subdued">
              {t("richMenuPages.preview.empty")}
            </Text>
          </div>
        )}
        {props.areas.map((area, index) => {
          const color = COLORS[index % COLORS.length]!;
          const label = describeAction(t, area.action, props.names);
          return (
            <button
              type="button"
              key={index}
              data-area={index + 1}
              aria-label={`${t("richMenuPages.areas.area", { number: index + 1 })}: ${label}`}
              aria-pressed={props.selected === index}
              onClick={() => props.onSelect?.(index)}
              style={{
                position: "absolute",
                left: pct(area.bounds.x, width),
                top: pct(area.bounds.y, height),
                width: pct(area.bounds.width, width),
                height: pct(area.bounds.height, height),
                border: `2px ${props.selected === index ? "solid" : "dashed"} ${color}`,
                background: props.selected === index ? `${color}33` : `${color}14`,
                boxSizing: "border-box",
                padding: 4,
                margin: 0,
                cursor: props.onSelect ? "pointer" : "default",
                display: "flex",
                flexDirection: "column",
                alignItems: "flex-start",
                gap: 2,
                overflow: "hidden",
                font: "inherit",
              }}
            >
              <span style={{ background: color, color: "#fff", borderRadius: 999, minWidth: 20, height: 20, lineHeight: "20px", fontSize: 12, fontWeight: 700, textAlign: "center", padding: "0 6px" }}>
                {index + 1}
              </span>
              <span style={{ background: "rgba(255,255,255,.92)", color: "#1a1a1a", borderRadius: 4, fontSize: 11, lineHeight: "14px", padding: "1px 4px", maxWidth: "100%", overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", textAlign: "left" }}>
                {label}
              </span>
            </button>
          );
        })}
      </div>
      <div style={{ borderTop: "1px solid #e3e3e3", padding: "8px 0 0", textAlign: "center" }}>
        <Text as="p" variant="bodySm" tone="subdued">
          {props.chatBarText || "—"} ▾
        </Text>
      </div>
    </div>
  );
}
