// A file from one of the app's resource routes (CSV, QR code), fetched with the session token App Bridge adds to
// the app's own fetches, and saved under the name the server gives (Content-Disposition).
import { Banner, BlockStack, Button, type ButtonProps } from "@shopify/polaris";
import { useState } from "react";
import { useT } from "../i18n/i18n";

export async function downloadFile(url: string, fallbackName: string) {
  const response = await fetch(url, { headers: { accept: "*/*" } });
  if (!response.ok) throw new Error(`download ${response.status}`);
  const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? fallbackName;
  const href = URL.createObjectURL(await response.blob());
  const anchor = document.createElement("a");
  anchor.href = href;
  anchor.download = name;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

export function DownloadButton(props: { url: string; fileName: string; label: string; size?: ButtonProps["size"]; variant?: ButtonProps["variant"]; accessibilityLabel?: string }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const download = () => {
    setBusy(true);
    setFailed(false);
    downloadFile(props.url, props.fileName)
      .catch(() => setFailed(true))
      .finally(() => setBusy(false));
  };
  const button = (
    <Button size={props.size} variant={props.variant} loading={busy} onClick={download} accessibilityLabel={props.accessibilityLabel}>
      {props.label}
    </Button>
  );
  if (!failed) return button;
  return (
    <BlockStack gap="200">
      {button}
      <Banner tone="critical" onDismiss={() => setFailed(false)}>
        {t("dateRange.downloadFailed")}
      </Banner>
    </BlockStack>
  );
}
