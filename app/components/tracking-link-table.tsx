// A tracking or action link's URL with a copy button (the tracking-links table is app/sources/link-table.tsx).
import { Button, InlineStack } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { useT } from "../i18n/i18n";

/** The link's URL with a copy button; where the clipboard is not allowed, the URL is selected for Ctrl+C. */
export function CopyUrl(props: { url: string; name: string; disabled?: boolean; full?: boolean; /** cut with "…" beyond this width (px) */ maxWidth?: number }) {
  const t = useT();
  const code = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = () =>
    navigator.clipboard.writeText(props.url).then(
      () => setCopied(true),
      () => code.current && window.getSelection()?.selectAllChildren(code.current),
    );
  return (
    <InlineStack gap="200" blockAlign="center" wrap={false}>
      {/* Shown without the scheme to keep the table narrow; the copy is the full URL. */}
      <code
        ref={code}
        translate="no"
        title={props.maxWidth ? props.url : undefined}
        style={{
          fontSize: "12px",
          whiteSpace: "nowrap",
          ...(props.maxWidth ? { maxWidth: props.maxWidth, overflow: "hidden", textOverflow: "ellipsis", minWidth: 0 } : {}),
        }}
      >
        {props.full ? props.url : props.url.replace(/^https?:\/\//, "")}
      </code>
      {!props.disabled && (
        <Button size="micro" accessibilityLabel={t("trackingLinks.copyLabel", { name: props.name })} onClick={copy}>
          {copied ? t("trackingLinks.copied") : t("trackingLinks.copy")}
        </Button>
      )}
    </InlineStack>
  );
}
