// Rich-menu image checks against LINE's limits, on images generated for each limit: the message names the limit
// broken, a resize/compress is offered only when that alone fixes the image, and its result passes the check.
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { checkImage, fixImage, IMAGE_LIMITS } from "~/rich-menus/image.server";

type Format = "png" | "jpeg" | "webp" | "gif";

async function image(width: number, height: number, format: Format = "png", noise = false) {
  const base = noise
    ? sharp({ create: { width, height, channels: 3, background: "#000", noise: { type: "gaussian", mean: 128, sigma: 90 } } })
    : sharp({ create: { width, height, channels: 3, background: { r: 6, g: 199, b: 85 } } });
  if (format === "jpeg") return base.jpeg({ quality: 100 }).toBuffer();
  if (format === "webp") return base.webp().toBuffer();
  if (format === "gif") return base.gif().toBuffer();
  return base.png().toBuffer();
}

const limits = (check: Awaited<ReturnType<typeof checkImage>>) => (check.ok ? [] : check.problems.map((p) => p.limit));

describe("rich-menu image checks", () => {
  it("accepts LINE's usual sizes as JPEG and PNG", async () => {
    for (const [w, h] of [[2500, 1686], [2500, 843], [1200, 810], [800, 540], [1200, 405]]) {
      for (const format of ["png", "jpeg"] as const) {
        const check = await checkImage(await image(w, h, format));
        expect(check, `${w}x${h} ${format}`).toMatchObject({ ok: true, image: { width: w, height: h, type: `image/${format}` } });
      }
    }
  });

  it("refuses other formats and non-images, without an offer", async () => {
    for (const format of ["webp", "gif"] as const) {
      const check = await checkImage(await image(2500, 1686, format));
      expect(check).toMatchObject({ ok: false, fix: null, problems: [{ limit: "format", key: "richMenuPages.image.format", values: { format } }] });
    }
    const text = await checkImage(Buffer.from("<svg>not really</svg>, or any other bytes"));
    expect(text).toMatchObject({ ok: false, fix: null, problems: [{ limit: "format" }] });
  });

  it("names each dimension limit with the image's own figure", async () => {
    expect(await checkImage(await image(700, 300))).toMatchObject({ ok: false, problems: [{ limit: "widthMin", values: { width: 700, limit: 800 } }] });
    expect(await checkImage(await image(3000, 2000))).toMatchObject({ ok: false, problems: [{ limit: "widthMax", values: { width: 3000, limit: 2500 } }] });
    expect(limits(await checkImage(await image(1000, 200)))).toEqual(["heightMin"]);
    expect(await checkImage(await image(1000, 800))).toMatchObject({ ok: false, fix: null, problems: [{ limit: "aspect", values: { aspect: "1.25", limit: "1.45" } }] });
    // Exactly at the limits passes.
    expect((await checkImage(await image(800, 250))).ok).toBe(true);
    expect((await checkImage(await image(1450, 1000))).ok).toBe(true);
    expect(limits(await checkImage(await image(1449, 1000)))).toEqual(["aspect"]);
    expect(limits(await checkImage(await image(2501, 1686)))).toEqual(["widthMax"]);
    expect(limits(await checkImage(await image(799, 540)))).toEqual(["widthMin"]);
    expect(limits(await checkImage(await image(1000, 249)))).toEqual(["heightMin"]);
  });

  it("offers to resize a resizable dimension, and the result conforms", async () => {
    for (const [w, h] of [[3000, 2024], [700, 300], [1000, 200], [5000, 1686]]) {
      const bytes = await image(w, h);
      const check = await checkImage(bytes);
      expect(check.ok).toBe(false);
      if (check.ok) continue;
      expect(check.fix, `${w}x${h}`).toMatchObject({ resize: true });
      const fixed = await fixImage(bytes);
      expect(fixed, `${w}x${h}`).not.toBeNull();
      const again = await checkImage(fixed!.bytes);
      expect(again.ok).toBe(true);
      expect(fixed!.image.width).toBe(check.fix!.width);
      expect(Math.abs(fixed!.image.width / fixed!.image.height - w / h)).toBeLessThan(0.02);
    }
  });

  it("offers to compress an image over 1 MB, and the result is under it", async () => {
    const bytes = await image(2500, 1686, "jpeg", true);
    expect(bytes.length).toBeGreaterThan(IMAGE_LIMITS.maxBytes);
    const check = await checkImage(bytes);
    expect(check).toMatchObject({ ok: false, problems: [{ limit: "bytes", values: { limit: "1 MB" } }], fix: { compress: true, resize: false, width: 2500, height: 1686 } });
    const fixed = await fixImage(bytes);
    expect(fixed).not.toBeNull();
    expect(fixed!.bytes.length).toBeLessThanOrEqual(IMAGE_LIMITS.maxBytes);
    expect((await checkImage(fixed!.bytes)).ok).toBe(true);
  });

  it("a PNG over 1 MB is compressed too", async () => {
    const bytes = await image(2500, 1686, "png", true);
    expect(bytes.length).toBeGreaterThan(IMAGE_LIMITS.maxBytes);
    const fixed = await fixImage(bytes);
    expect(fixed!.bytes.length).toBeLessThanOrEqual(IMAGE_LIMITS.maxBytes);
    expect((await checkImage(fixed!.bytes)).ok).toBe(true);
  });

  it("checks the proportions of the menu size the areas are drawn in", async () => {
    expect((await checkImage(await image(1200, 810), "full")).ok).toBe(true);
    expect((await checkImage(await image(1200, 405), "compact")).ok).toBe(true);
    expect(await checkImage(await image(1200, 810), "compact")).toMatchObject({ ok: false, fix: null, problems: [{ limit: "menuSize", values: { size: "compact", expected: "2500 × 843" } }] });
    expect(limits(await checkImage(await image(2000, 1000), "full"))).toEqual(["menuSize"]);
    // A copy resized to LINE's limits keeps the menu's proportions.
    const big = await image(3000, 2024);
    expect(await checkImage(big, "full")).toMatchObject({ ok: false, fix: { width: 2500, height: 1687 } });
  });

  it("offers nothing when the aspect ratio or the format is also wrong", async () => {
    const tall = await image(3000, 2500);
    expect(await checkImage(tall)).toMatchObject({ ok: false, fix: null });
    expect(limits(await checkImage(tall))).toEqual(["widthMax", "aspect"]);
    expect(await fixImage(tall)).toBeNull();
    expect(await fixImage(await image(3000, 1686, "webp"))).toBeNull();
  });
});
