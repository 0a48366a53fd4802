// A tracking link's QR code: shown from the SVG the server makes, with PNG and SVG downloads.
import { Banner, BlockStack, Box, InlineStack, Modal, SkeletonThumbnail, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { DownloadButton } from "../components/download-button";
import { useT } from "../i18n/i18n";
import type { TrackingLinkRow } from "./tracking-types";

export const qrUrl = (link: { id: string }, format: "png" | "svg") => `/app/tracking-links/${link.id}/qr?format=${format}`;

/** The SVG fetched with the session token (an <img> could not send it), shown through an object URL. */
function useQrImage(url: string) {
  const [state, setState] = useState<{ src: string | null; failed: boolean }>({ src: null, failed: false });
  useEffect(() => {
    let src: string | null = null;
    let cancelled = false;
    fetch(url)
      .then((response) => (response.ok ? response.blob() : Promise.reject(new Error(String(response.status)))))
      .then((blob) => {
        if (cancelled) return;
        src = URL.createObjectURL(blob);
        setState({ src, failed: false });
      })
      .catch(() => !cancelled && setState({ src: null, failed: true }));
    return () => {
      cancelled = true;
      if (src) URL.revokeObjectURL(src);
    };
  }, [url]);
  return state;
}

export function QrModal(props: { link: TrackingLinkRow; onClose: () => void }) {
  const t = useT();
  const { link } = props;
  const image = useQrImage(qrUrl(link, "svg"));
  return (
    <Modal open onClose={props.onClose} title={t("trackingLinks.qr.title", { name: link.name })} secondaryActions={[{ content: t("trackingLinks.qr.close"), onAction: props.onClose }]}>
      <Modal.Section>
        <BlockStack gap="400" inlineAlign="center">
          {image.failed ? (
            <Banner tone="critical">{t("trackingLinks.qr.loadFailed")}</Banner>
          ) : image.src ? (
            <img src={image.src} alt={t("trackingLinks.qr.label", { name: link.name })} width={220} height={220} data-testid="qr-image" />
          ) : (
            <Box minHeight="220px">
              <SkeletonThumbnail size="large" />
            </Box>
          )}
          <code translate="no" style={{ fontSize: "12px", wordBreak: "break-all" }}>
            {link.url}
          </code>
          <Text as="p" tone="subdued">
            {t("trackingLinks.qr.body")}
          </Text>
          <InlineStack gap="200" align="center">
            <DownloadButton url={qrUrl(link, "png")} fileName={`qr-${link.code}.png`} label={t("trackingLinks.qr.png")} variant="primary" />
            <DownloadButton url={qrUrl(link, "svg")} fileName={`qr-${link.code}.svg`} label={t("trackingLinks.qr.svg")} />
          </InlineStack>
          <Text as="p" variant="bodySm" tone="subdued">
            {t("trackingLinks.qr.pngHelp")}
          </Text>
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
