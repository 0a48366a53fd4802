// A vertical timeline: a rail on the left with a marker per item, the item's card beside it. Narrow enough for a
// phone (the rail takes 32 px).
import { Box } from "@shopify/polaris";
import type { ReactNode } from "react";

const RAIL = 32;
const LINE = "#c9cccf";

export function Timeline({ children, label }: { children: ReactNode; label: string }) {
  return (
    // On a phone cards reach the screen's edges; the rail keeps a margin.
    <Box paddingInlineStart={{ xs: "200", sm: "0" }}>
      <ol aria-label={label} style={{ listStyle: "none", margin: 0, padding: 0 }} data-testid="scenario-timeline">
        {children}
      </ol>
    </Box>
  );
}

export type MarkerTone = "trigger" | "step" | "end" | "add" | "deleted";

const MARKER: Record<MarkerTone, { background: string; color: string; border?: string }> = {
  trigger: { background: "#06c755", color: "#fff" },
  step: { background: "#fff", color: "#303030", border: `2px solid #8a8a8a` },
  end: { background: "#303030", color: "#fff" },
  add: { background: "#fff", color: "#616161", border: `2px dashed #8a8a8a` },
  deleted: { background: "#f1f1f1", color: "#8a8a8a", border: `2px dashed #c9cccf` },
};

/** One entry: `marker` is a short text in the circle (a step number, an icon character). */
export function TimelineItem(props: { marker: string; tone: MarkerTone; last?: boolean; children: ReactNode; testId?: string }) {
  const style = MARKER[props.tone];
  return (
    <li style={{ display: "flex", gap: 12, position: "relative" }} data-testid={props.testId}>
      <div style={{ position: "relative", flex: "none", width: RAIL }}>
        {!props.last && <div aria-hidden style={{ position: "absolute", left: RAIL / 2 - 1, top: 8, bottom: 0, width: 2, background: LINE }} />}
        <div
          aria-hidden
          style={{
            position: "relative",
            marginTop: 12,
            width: RAIL,
            height: RAIL,
            borderRadius: "50%",
            boxSizing: "border-box",
            display: "flex",
            alignItems: "center",
            justifyContent: "center",
            fontWeight: 700,
            fontSize: 13,
            background: style.background,
            color: style.color,
            border: style.border,
          }}
        >
          {props.marker}
        </div>
      </div>
      <div style={{ flex: 1, minWidth: 0, paddingBottom: props.last ? 0 : 16 }}>{props.children}</div>
    </li>
  );
}

/** The gap between two items, with the delay written on the rail's side ("3 days later"). */
export function TimelineGap({ children }: { children: ReactNode }) {
  return (
    <li style={{ display: "flex", gap: 12 }}>
      <div style={{ position: "relative", flex: "none", width: RAIL }}>
        <div aria-hidden style={{ position: "absolute", left: RAIL / 2 - 1, top: 0, bottom: 0, width: 2, background: LINE }} />
      </div>
      <div style={{ flex: 1, minWidth: 0, paddingBottom: 12 }}>{children}</div>
    </li>
  );
}
