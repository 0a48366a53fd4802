// One line of user data (a name, a title) cut with an ellipsis where the column ends, the whole text on hover and
// for screen readers. Marked translate="no": it is what the merchant or a friend wrote, not the app's words.
import type { CSSProperties } from "react";

export function Truncated(props: { text: string; maxWidth?: CSSProperties["maxWidth"]; bold?: boolean }) {
  return (
    <span
      title={props.text}
      translate="no"
      style={{
        display: "block",
        minWidth: 0,
        maxWidth: props.maxWidth ?? "min(28rem, 60vw)",
        overflow: "hidden",
        textOverflow: "ellipsis",
        whiteSpace: "nowrap",
        fontWeight: props.bold ? "var(--p-font-weight-semibold)" : undefined,
      }}
    >
      {props.text}
    </span>
  );
}
