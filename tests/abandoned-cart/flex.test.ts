import { HTTPFetchError, messagingApi } from "@line/bot-sdk";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildReminderMessage,
  flexSize,
  MAX_BUBBLE_BYTES,
  ReminderMessageError,
  truncateText,
  type ReminderFlexMessage,
  type ReminderItem,
  type ReminderMessageInput,
} from "../../app/abandoned-cart/flex";
import { DEFAULT_REMINDER_SETTINGS } from "../../app/abandoned-cart/settings";
import { lineFake } from "../support/line";

const RECOVERY = "https://tea.myshopify.com/123/checkouts/ac/abc/recover?key=k1&utm_source=line";
const THUMBS = "👍🏽"; // 4 UTF-16 units: thumbs up + skin tone modifier
const FLAG = "🇯🇵"; // 4 units: two regional indicators
const FAMILY = "👨‍👩‍👧‍👦"; // 11 units: four people joined by ZWJ

function item(n: number, overrides: Partial<ReminderItem> = {}): ReminderItem {
  return {
    title: `Sencha ${n}`,
    variantTitle: "100g",
    quantity: n,
    price: "1200.00",
    currency: "JPY",
    imageUrl: `https://cdn.shopify.com/s/files/tea-${n}.png`,
    url: `https://tea.example/products/sencha-${n}?variant=${n}&utm_source=line`,
    ...overrides,
  };
}

const items = (count: number) => Array.from({ length: count }, (_, i) => item(i + 1));

function build(overrides: Partial<ReminderMessageInput> = {}, settings: Partial<ReminderMessageInput["settings"]> = {}) {
  return buildReminderMessage({
    settings: { ...DEFAULT_REMINDER_SETTINGS, ...settings },
    items: items(2),
    currency: "JPY",
    recoveryUrl: RECOVERY,
    ...overrides,
  });
}

type Node = Record<string, unknown>;

function nodes(root: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(root)) for (const child of root) nodes(child, out);
  else if (root && typeof root === "object") {
    out.push(root as Node);
    for (const child of Object.values(root)) nodes(child, out);
  }
  return out;
}

const textsIn = (root: unknown) => nodes(root).filter((n) => n.type === "text").map((n) => n.text as string);
const imagesIn = (root: unknown) => nodes(root).filter((n) => n.type === "image").map((n) => n.url as string);
const urisIn = (root: unknown) => nodes(root).filter((n) => n.type === "uri").map((n) => n.uri as string);

function itemBoxes(message: ReminderFlexMessage) {
  return (message.contents.body?.contents ?? []).filter(
    (c): c is messagingApi.FlexBox => c.type === "box" && (c as messagingApi.FlexBox).layout === "horizontal",
  );
}

function bodyTexts(message: ReminderFlexMessage) {
  return (message.contents.body?.contents ?? []).filter((c) => c.type === "text").map((c) => (c as messagingApi.FlexText).text);
}

/** True when `cut` (without its "…") ends on a grapheme boundary of `original` and is a prefix of it. */
function cutOnBoundary(original: string, cut: string) {
  const kept = cut.endsWith("…") ? cut.slice(0, -1) : cut;
  if (!original.startsWith(kept)) return false;
  const boundaries = new Set([0, original.length]);
  let at = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(original)) {
    at += segment.length;
    boundaries.add(at);
  }
  return boundaries.has(kept.length) || boundaries.has(kept.trimEnd().length);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe("layout", () => {
  it("has a header in the header color with readable title text, and the button to the recovery URL", () => {
    const message = build({}, { headerColor: "#1A237E", buttonColor: "#ff5500", title: "Forgot something?", buttonText: "Back to cart" });
    const { header, footer } = message.contents;
    expect(message.type).toBe("flex");
    expect(header).toMatchObject({ type: "box", backgroundColor: "#1A237E" });
    expect(header?.contents).toEqual([expect.objectContaining({ type: "text", text: "Forgot something?", color: "#FFFFFF" })]);
    expect(footer?.contents).toEqual([
      expect.objectContaining({ type: "button", style: "primary", color: "#FF5500", action: { type: "uri", label: "Back to cart", uri: RECOVERY } }),
    ]);
    const light = build({}, { headerColor: "#FFF8E1" });
    expect(light.contents.header?.contents[0]).toMatchObject({ color: "#111111" });
  });

  it("falls back to LINE green for a color LINE would not take", () => {
    const message = build({}, { headerColor: "red", buttonColor: "#12345" });
    expect(message.contents.header?.backgroundColor).toBe("#06C755");
    expect(message.contents.footer?.contents[0]).toMatchObject({ color: "#06C755" });
  });

  it("shows the body and no items for an empty cart", () => {
    const message = build({ items: [] });
    expect(bodyTexts(message)).toEqual([DEFAULT_REMINDER_SETTINGS.body]);
    expect(itemBoxes(message)).toHaveLength(0);
    expect(message.altText).toBe(DEFAULT_REMINDER_SETTINGS.title);
  });

  it("shows one item: image, title, variant, quantity, price; tappable to its page", () => {
    const message = build({ items: [item(1, { quantity: 3, price: "3980.00" })] });
    const [box] = itemBoxes(message);
    expect(itemBoxes(message)).toHaveLength(1);
    expect(imagesIn(box)).toEqual(["https://cdn.shopify.com/s/files/tea-1.png"]);
    expect(textsIn(box)).toEqual(["Sencha 1", "100g", "× 3", "￥3,980"]);
    expect(nodes(box).find((n) => n.text === "Sencha 1")).toMatchObject({ wrap: true, maxLines: 2 });
    expect(box.action).toEqual({ type: "uri", uri: "https://tea.example/products/sencha-1?variant=1&utm_source=line" });
    expect(message.altText).toBe(`${DEFAULT_REMINDER_SETTINGS.title}｜Sencha 1`);
  });

  it("shows two items and no 3rd-item text", () => {
    const message = build({ items: items(2) });
    expect(itemBoxes(message).map((box) => textsIn(box)[0])).toEqual(["Sencha 1", "Sencha 2"]);
    expect(bodyTexts(message)).toEqual([DEFAULT_REMINDER_SETTINGS.body]);
    expect(message.altText).toBe(`${DEFAULT_REMINDER_SETTINGS.title}｜Sencha 1 ほか1点`);
  });

  it.each([
    [3, "ほか1点の商品", "ほか2点"],
    [50, "ほか48点の商品", "ほか49点"],
  ])("shows the first two of %i items and the 3rd-item text", (count, more, summary) => {
    const message = build({ items: items(count) });
    expect(itemBoxes(message).map((box) => textsIn(box)[0])).toEqual(["Sencha 1", "Sencha 2"]);
    expect(bodyTexts(message)).toEqual([DEFAULT_REMINDER_SETTINGS.body, more]);
    expect(message.altText).toBe(`${DEFAULT_REMINDER_SETTINGS.title}｜Sencha 1 ${summary}`);
  });

  it("replaces every {count} in the merchant's 3rd-item text", () => {
    const message = build({ items: items(5) }, { moreItemsText: "+{count} ({count} more)" });
    expect(bodyTexts(message)).toContain("+3 (3 more)");
  });

  it("formats prices in the checkout currency and shows the total when given", () => {
    const message = build({
      items: [item(1, { price: "1234.5", currency: "THB" }), item(2, { price: "99", currency: "" })],
      currency: "THB",
      totalPrice: "1432.50",
    });
    expect(textsIn(itemBoxes(message)[0])).toContain("฿1,234.50");
    expect(textsIn(itemBoxes(message)[1])).toContain("฿99.00");
    expect(textsIn(message.contents.body)).toEqual(expect.arrayContaining(["合計", "฿1,432.50"]));
    expect(textsIn(build().contents.body)).not.toContain("合計");
  });

  it("speaks English when asked, falling back to English defaults for empty settings", () => {
    const message = build({ items: items(3), locale: "en" }, { title: " ", body: "", moreItemsText: "", buttonText: "" });
    expect(message.contents.header?.contents[0]).toMatchObject({ text: "Did you forget something?" });
    expect(bodyTexts(message)).toEqual(["and 1 more items"]);
    expect(message.contents.footer?.contents[0]).toMatchObject({ action: { label: "Return to checkout" } });
    expect(textsIn(itemBoxes(message)[0])).toContain("¥1,200");
    expect(message.altText).toBe("Did you forget something? – Sencha 1 and 2 more");
  });

  it("omits what an item does not have and names an untitled item", () => {
    const message = build({ items: [item(1, { title: "", variantTitle: null, price: "", quantity: Number.NaN })] });
    expect(textsIn(itemBoxes(message)[0])).toEqual(["商品"]);
  });
});

describe("images", () => {
  it.each([
    ["null", null],
    ["undefined", undefined],
    ["empty", ""],
    ["http", "http://cdn.shopify.com/tea.png"],
    ["not a URL", "https://"],
    ["ftp", "ftp://cdn.shopify.com/tea.png"],
    ["over 2000 characters", `https://cdn.shopify.com/${"x".repeat(1977)}.png`],
  ])("uses a grey placeholder instead of an image that is %s", (_, imageUrl) => {
    const message = build({ items: [item(1, { imageUrl })] });
    const [box] = itemBoxes(message);
    expect(imagesIn(message.contents)).toEqual([]);
    expect(box.contents[0]).toMatchObject({ type: "box", width: "72px", height: "72px", contents: [] });
  });

  it("keeps an https image of exactly 2000 characters", () => {
    const url = `https://cdn.shopify.com/${"x".repeat(1972)}.png`;
    expect(url).toHaveLength(2000);
    expect(imagesIn(build({ items: [item(1, { imageUrl: url })] }).contents)).toEqual([url]);
  });
});

describe("links", () => {
  it("makes an item with a product URL over 1000 characters not tappable, and keeps the rest", () => {
    const long = `https://tea.example/products/sencha?${"q=1&".repeat(750)}`;
    expect(long.length).toBeGreaterThan(3000);
    const message = build({ items: [item(1, { url: long }), item(2)] });
    const [first, second] = itemBoxes(message);
    expect(first.action).toBeUndefined();
    expect(textsIn(first)[0]).toBe("Sencha 1");
    expect(second.action).toMatchObject({ uri: item(2).url });
    expect(urisIn(message.contents)).toEqual([item(2).url, RECOVERY]);
  });

  it("keeps a product URL of exactly 1000 characters and drops a non-web one", () => {
    const exact = `https://tea.example/p?x=${"a".repeat(976)}`;
    expect(exact).toHaveLength(1000);
    const message = build({ items: [item(1, { url: exact }), item(2, { url: "javascript:alert(1)" })] });
    expect(itemBoxes(message)[0].action).toMatchObject({ uri: exact });
    expect(itemBoxes(message)[1].action).toBeUndefined();
  });

  it("throws a clear error for a recovery URL over 1000 characters", () => {
    const url = `https://tea.example/r?k=${"a".repeat(977)}`;
    expect(url).toHaveLength(1001);
    expect(() => build({ recoveryUrl: url })).toThrow(ReminderMessageError);
    expect(() => build({ recoveryUrl: url })).toThrow(/1001 characters.*at most 1000/);
    try {
      build({ recoveryUrl: url });
    } catch (error) {
      expect((error as ReminderMessageError).code).toBe("recovery_url_too_long");
    }
    expect(urisIn(build({ recoveryUrl: url.slice(0, 1000) }).contents)).toContain(url.slice(0, 1000));
  });

  it.each([["javascript:alert(1)"], ["ftp://tea.example/cart"], ["/cart"], [""], ["tel:0312345678"]])(
    "throws for the recovery URL %j",
    (recoveryUrl) => {
      expect(() => build({ recoveryUrl })).toThrow(expect.objectContaining({ code: "recovery_url_invalid" }));
    },
  );
});

describe("text limits", () => {
  it("cuts 300-character titles, variants, body and button text", () => {
    const long = "抹".repeat(300);
    const message = build({ items: [item(1, { title: long, variantTitle: long })] }, { title: long, body: long.repeat(10), buttonText: long });
    const header = message.contents.header?.contents[0] as messagingApi.FlexText;
    const [itemTitle, variant] = textsIn(itemBoxes(message)[0]);
    const button = (message.contents.footer?.contents[0] as messagingApi.FlexButton).action as messagingApi.URIAction;
    expect(header.text).toBe(`${"抹".repeat(79)}…`);
    expect(itemTitle).toBe(`${"抹".repeat(79)}…`);
    expect(variant).toBe(`${"抹".repeat(59)}…`);
    expect(bodyTexts(message)[0]).toBe(`${"抹".repeat(999)}…`);
    expect(button.label).toBe(`${"抹".repeat(39)}…`);
  });

  // Titles are cut to 80 units (79 + "…"), the first item's title in the alt text to 40 (39 + "…").
  it.each([
    ["skin-tone emoji", THUMBS, 19, 9],
    ["flags", FLAG, 19, 9],
    ["ZWJ families", FAMILY, 7, 3],
  ])("never splits %s at a cut", (_, emoji, in80, in40) => {
    const message = build({ items: [item(1, { title: emoji.repeat(40) })] }, { title: emoji.repeat(40) });
    const header = (message.contents.header?.contents[0] as messagingApi.FlexText).text;
    expect(header).toBe(`${emoji.repeat(in80)}…`);
    expect(textsIn(itemBoxes(message)[0])[0]).toBe(`${emoji.repeat(in80)}…`);
    expect(message.altText).toBe(`${emoji.repeat(in80)}…｜${emoji.repeat(in40)}…`);
    expect(message.altText).not.toMatch(LONE_SURROGATE);
  });

  it("cuts on a grapheme boundary wherever the cut falls", () => {
    const mixed = `${"a".repeat(70)}${THUMBS}b${FLAG}${FAMILY}c${THUMBS}${FAMILY}${FLAG}`.repeat(3);
    for (let max = 60; max <= 120; max += 1) {
      const cut = truncateText(mixed, max);
      expect(cut.length, `max ${max}`).toBeLessThanOrEqual(max);
      expect(cutOnBoundary(mixed, cut), `max ${max}: ${cut}`).toBe(true);
    }
    expect(truncateText("short", 10)).toBe("short");
  });

  it("keeps alt text within 1 to 1500 characters", () => {
    expect(truncateText(FAMILY.repeat(500), 1500)).toHaveLength(1497);
    for (const message of [build({ items: [] }, { title: "" }), build({ items: [item(1, { title: FAMILY.repeat(500) })] }, { title: FAMILY.repeat(500) })]) {
      expect(message.altText.length).toBeGreaterThanOrEqual(1);
      expect(message.altText.length).toBeLessThanOrEqual(1500);
    }
  });

  it("removes control characters and lone surrogates", () => {
    const message = build({ items: [item(1, { title: "Sen\u0000cha\uD800 tea" })] }, { title: "Hi\u0007\r\nthere" });
    expect(textsIn(itemBoxes(message)[0])[0]).toBe("Sencha\uFFFD tea");
    expect(message.contents.header?.contents[0]).toMatchObject({ text: "Hi\nthere" });
  });
});

describe("size", () => {
  const huge = () =>
    build(
      {
        items: Array.from({ length: 50 }, (_, i) =>
          item(i, {
            title: `${FAMILY}"\\${"漢".repeat(10_000)}`,
            variantTitle: "\u2028".repeat(10_000),
            price: "9".repeat(10_000),
            quantity: 1e300,
            imageUrl: `https://cdn.shopify.com/${"i".repeat(1970)}.png`,
            url: `https://tea.example/p?${"u".repeat(970)}`,
          }),
        ),
        totalPrice: "x".repeat(10_000),
      },
      { title: "\u2028".repeat(10_000), body: `"${"あ".repeat(100_000)}`, moreItemsText: "{count}".repeat(5_000), buttonText: FAMILY.repeat(1000) },
    );

  it("measures the bubble as LINE does: UTF-8 bytes of its JSON", () => {
    const message = build();
    expect(flexSize(message)).toBe(Buffer.byteLength(JSON.stringify(message.contents), "utf8"));
    expect(flexSize({ contents: { type: "bubble", body: { type: "box", layout: "vertical", contents: [{ type: "text", text: "あ" }] } } })).toBe(
      Buffer.byteLength('{"type":"bubble","body":{"type":"box","layout":"vertical","contents":[{"type":"text","text":"あ"}]}}'),
    );
  });

  it("keeps a huge cart under 30,000 bytes with its links and images", () => {
    const message = huge();
    expect(flexSize(message)).toBeLessThan(MAX_BUBBLE_BYTES);
    expect(imagesIn(message.contents)).toHaveLength(2);
    expect(urisIn(message.contents)).toHaveLength(3);
    expect(itemBoxes(message)).toHaveLength(2);
  });

  it("is deterministic: the preview and the worker build the same JSON", () => {
    expect(JSON.stringify(huge())).toBe(JSON.stringify(huge()));
  });
});

describe("through the LINE fake", () => {
  const TO = `U${"0".repeat(32)}`;
  let client: messagingApi.MessagingApiClient;

  beforeAll(() => {
    const channel = lineFake().addChannel({ channelId: "1650000099", channelSecret: "f".repeat(32) });
    client = new messagingApi.MessagingApiClient({ channelAccessToken: channel.longLivedToken, baseURL: lineFake().url });
  });

  const cases: Array<[string, () => ReminderFlexMessage]> = [
    ["an empty cart", () => build({ items: [] })],
    ["one item", () => build({ items: items(1), totalPrice: "1200" })],
    ["three items in English", () => build({ items: items(3), locale: "en" })],
    ["fifty items", () => build({ items: items(50) })],
    ["emoji everywhere", () => build({ items: [item(1, { title: FAMILY.repeat(300), variantTitle: FLAG.repeat(300) })] }, { title: THUMBS.repeat(300) })],
    ["bad images and links", () => build({ items: [item(1, { imageUrl: "http://x.example/a.png", url: `https://x.example/${"p".repeat(3000)}` })] })],
    ["a huge cart", () => build({ items: Array.from({ length: 50 }, (_, i) => item(i, { title: "漢".repeat(5000), imageUrl: `https://cdn.shopify.com/${"i".repeat(1970)}.png` })) }, { body: "あ".repeat(50_000) })],
  ];

  it.each(cases)("accepts %s", async (_, make) => {
    const message = make();
    const response = await client.pushMessage({ to: TO, messages: [message] });
    expect(response.sentMessages).toHaveLength(1);
    expect(lineFake().sent().at(-1)?.messages).toEqual([JSON.parse(JSON.stringify(message))]);
  });

  it("would reject what the builder filters out (the fake checks LINE's limits)", async () => {
    const message = build({ items: items(1) });
    const broken = JSON.parse(JSON.stringify(message)) as ReminderFlexMessage;
    const thumbnail = itemBoxes(broken)[0].contents[0] as messagingApi.FlexBox;
    thumbnail.contents = [{ type: "image", url: "http://cdn.shopify.com/tea.png" }];
    await expect(client.pushMessage({ to: TO, messages: [broken] })).rejects.toSatisfy(
      (error) => error instanceof HTTPFetchError && error.status === 400 && error.body.includes("HTTPS URL"),
    );
    await expect(client.pushMessage({ to: TO, messages: [{ ...message, altText: "x".repeat(1501) }] })).rejects.toBeInstanceOf(HTTPFetchError);
  });
});
