// A Flex message drawn as LINE draws it, from the same JSON that is sent: enough of the Flex layout (bubbles with a
// hero image, carousels, boxes, text, images, buttons, separators) for the reminder and the product cards, not all.
import type { messagingApi } from "@line/bot-sdk";
import type { CSSProperties, ReactNode } from "react";

type Component = messagingApi.FlexComponent;
type FlexBoxJson = messagingApi.FlexBox;

const SPACING: Record<string, number> = { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 };
const FONT: Record<string, number> = { xxs: 11, xs: 13, sm: 14, md: 16, lg: 19, xl: 22, xxl: 29, "3xl": 35 };
const px = (value: string | undefined, scale: Record<string, number>) =>
  value === undefined ? undefined : value in scale ? scale[value] : value;

export function FlexBubble({ bubble, width }: { bubble: messagingApi.FlexBubble; width?: number }) {
  const part = (box: FlexBoxJson | undefined, padding: number) =>
    box ? <FlexBoxView box={box} style={{ padding: px(box.paddingAll, SPACING) ?? padding }} /> : null;
  const hero = bubble.hero;
  return (
    <div
      data-testid="flex-bubble"
      style={{
        width: width ?? "100%",
        maxWidth: 300,
        flex: width ? "none" : undefined,
        background: "#fff",
        borderRadius: 16,
        overflow: "hidden",
        fontFamily: "-apple-system, 'Hiragino Sans', 'Noto Sans CJK JP', sans-serif",
        color: "#111",
      }}
    >
      {part(bubble.header, 16)}
      {hero?.type === "image" ? <FlexComponentView component={hero} parent="vertical" /> : hero?.type === "box" ? part(hero, 0) : null}
      {part(bubble.body, 16)}
      {part(bubble.footer, 12)}
    </div>
  );
}

/** A bubble, or a carousel's bubbles side by side, scrolled sideways as in LINE. */
export function FlexContainerView({ container }: { container: messagingApi.FlexContainer }) {
  if (container.type === "bubble") return <FlexBubble bubble={container} />;
  return (
    <div data-testid="flex-carousel" style={{ display: "flex", gap: 8, overflowX: "auto", maxWidth: "100%", paddingBottom: 4 }}>
      {container.contents.map((bubble, index) => (
        <FlexBubble key={index} bubble={bubble} width={240} />
      ))}
    </div>
  );
}

/** How a child sizes inside its parent box: LINE stretches children of horizontal boxes (flex 1) by default. */
function flexStyle(component: { flex?: number }, parent: FlexBoxJson["layout"]): CSSProperties {
  const flex = component.flex ?? (parent === "vertical" ? 0 : 1);
  return flex > 0 ? { flex: `${flex} 1 0`, minWidth: 0 } : { flex: "0 0 auto" };
}

function FlexBoxView({ box, style: outer }: { box: FlexBoxJson; style?: CSSProperties }) {
  const row = box.layout !== "vertical";
  const gap = px(box.spacing, SPACING);
  const style: CSSProperties = {
    display: "flex",
    flexDirection: row ? "row" : "column",
    alignItems: box.layout === "baseline" ? "baseline" : "stretch",
    background: box.backgroundColor,
    borderRadius: px(box.cornerRadius, SPACING),
    width: box.width,
    height: box.height,
    padding: px(box.paddingAll, SPACING),
    overflow: box.cornerRadius ? "hidden" : undefined,
    ...outer,
  };
  return (
    <Linked action={box.action} style={style}>
      {box.contents.map((child, index) => (
        <FlexComponentView
          key={index}
          component={child}
          parent={box.layout}
          // Spacing goes between components; a component's own margin replaces it.
          margin={index === 0 ? undefined : (px((child as { margin?: string }).margin, SPACING) ?? gap)}
        />
      ))}
    </Linked>
  );
}

function FlexComponentView({ component, parent, margin }: { component: Component; parent: FlexBoxJson["layout"]; margin?: number | string }) {
  const spacing: CSSProperties = parent === "vertical" ? { marginTop: margin } : { marginLeft: margin };
  switch (component.type) {
    case "box":
      return <FlexBoxView box={component} style={{ ...spacing, ...flexStyle(component, parent) }} />;
    case "text": {
      const lines = component.maxLines;
      const style: CSSProperties = {
        ...spacing,
        ...flexStyle(component, parent),
        fontSize: px(component.size, FONT) ?? 16,
        fontWeight: component.weight === "bold" ? 700 : 400,
        color: component.color ?? "#111111",
        textAlign: component.align === "end" ? "right" : component.align === "center" ? "center" : "left",
        lineHeight: 1.4,
        whiteSpace: component.wrap ? "pre-wrap" : "nowrap",
        overflow: "hidden",
        textOverflow: "ellipsis",
        overflowWrap: "anywhere",
        ...(component.wrap && lines ? { display: "-webkit-box", WebkitLineClamp: lines, WebkitBoxOrient: "vertical" as const } : {}),
      };
      return <div style={style}>{component.text}</div>;
    }
    case "image": {
      const [w, h] = (component.aspectRatio ?? "1:1").split(":").map(Number);
      const image = (
        <img
          src={component.url}
          alt=""
          style={{ ...spacing, display: "block", width: "100%", aspectRatio: `${w} / ${h}`, objectFit: component.aspectMode === "cover" ? "cover" : "contain" }}
        />
      );
      return component.action ? (
        <Linked action={component.action} style={{ display: "block" }}>
          {image}
        </Linked>
      ) : (
        image
      );
    }
    case "button": {
      const primary = component.style === "primary";
      return (
        <Linked
          action={component.action}
          style={{
            ...spacing,
            display: "flex",
            alignItems: "center",
            justifyContent: "center",
            minHeight: component.height === "sm" ? 40 : 52,
            borderRadius: 8,
            padding: "0 16px",
            background: primary ? (component.color ?? "#17C950") : component.style === "secondary" ? (component.color ?? "#DCDFE5") : "transparent",
            // LINE draws a primary button's label white whatever the colour; the form warns when that is hard to read.
            color: primary ? "#FFFFFF" : (component.color ?? "#42659A"),
            fontSize: 16,
            fontWeight: 700,
            textAlign: "center",
          }}
        >
          {component.action.label ?? ""}
        </Linked>
      );
    }
    case "separator":
      return <div style={{ ...spacing, borderTop: `1px solid ${component.color ?? "#E5E5E5"}`, flex: "none" }} />;
    default:
      return null;
  }
}

/** A uri action opens in a new tab, so the merchant can check where each link goes. */
function Linked(props: { action?: messagingApi.Action; style: CSSProperties; children: ReactNode }) {
  if (props.action?.type === "uri" && props.action.uri) {
    return (
      <a href={props.action.uri} target="_blank" rel="noreferrer" style={{ color: "inherit", textDecoration: "none", ...props.style }} data-uri={props.action.uri}>
        {props.children}
      </a>
    );
  }
  return <div style={props.style}>{props.children}</div>;
}
