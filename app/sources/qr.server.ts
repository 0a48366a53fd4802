// A tracking link's QR code (PNG for print shops and flyers, SVG for designers), made by the `qrcode` package.
import QRCode from "qrcode";
import { findTrackingLink, trackingLinkUrl } from "./tracking-admin.server";

export const QR_FORMATS = ["png", "svg"] as const;
export type QrFormat = (typeof QR_FORMATS)[number];

// Medium error correction survives a small logo or a smudge; 1024 px prints sharp at about 8 cm at 300 dpi.
const OPTIONS = { errorCorrectionLevel: "M", margin: 2 } as const;

/** The QR code of one of the shop's links as a download, or null when the link is not the shop's. */
export async function qrResponse(shop: string, id: string, format: string): Promise<Response | null> {
  const link = await findTrackingLink(shop, id);
  if (!link) return null;
  const url = trackingLinkUrl(link.code);
  const type: QrFormat = format === "svg" ? "svg" : "png";
  const body = type === "svg" ? await QRCode.toString(url, { ...OPTIONS, type: "svg" }) : new Uint8Array(await QRCode.toBuffer(url, { ...OPTIONS, type: "png", width: 1024 }));
  return new Response(body, {
    headers: {
      "content-type": type === "svg" ? "image/svg+xml; charset=utf-8" : "image/png",
      "content-disposition": `attachment; filename="qr-${link.code}.${type}"`,
      "cache-control": "private, no-store",
    },
  });
}
