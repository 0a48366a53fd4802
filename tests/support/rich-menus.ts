// Rich-menu test helpers: a real PNG of any size (one colour, compressed), and a menu input of a template.
import { deflateSync } from "node:zlib";
import { TEMPLATES, type AreaActionInput, type RichMenuFormInput, type TemplateId } from "~/rich-menus/model";

function crc32(bytes: Buffer) {
  let crc = -1;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ -1) >>> 0;
}

function chunk(type: string, data: Buffer) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A grey PNG of `width`×`height` (a few kilobytes). */
export function png(width: number, height: number) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const row = Buffer.alloc(width + 1, 0x80);
  row[0] = 0;
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

export function menuImage(width = 2500, height = 1686) {
  const bytes = png(width, height);
  return { bytes, type: "image/png", width, height };
}

/** A menu of a template whose areas all send a message (or the given actions, in order). */
export function menuInput(lineAccountId: string, layout: TemplateId = "full-6", actions: AreaActionInput[] = []): RichMenuFormInput {
  const template = TEMPLATES[layout];
  return {
    lineAccountId,
    name: `Menu ${layout}`,
    chatBarText: "メニュー",
    size: template.size,
    layout,
    areas: template.areas.map((bounds, i) => ({ bounds, action: actions[i] ?? { type: "message", text: `Area ${i + 1}` } })),
  };
}
