// validateWithLine against the LINE fake's validate endpoints: LINE's verdict in words, nothing sent.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { buildLineMessages } from "~/messages/build";
import { describeProperty, validateWithLine } from "~/messages/validate.server";
import { connectedAccount, lineFake } from "../support/line";
import { TEST_SHOP_DOMAIN } from "../support/shopify";

describe("validateWithLine", () => {
  it("answers [] for messages LINE accepts, on each channel, without sending", async () => {
    const { account } = await connectedAccount(db, TEST_SHOP_DOMAIN);
    const messages = buildLineMessages(
      [
        { type: "text", text: "こんにちは🍵" },
        { type: "products", products: [{ productId: "gid://shopify/Product/1", title: "Sencha", price: "1200", currency: "JPY", imageUrl: "https://cdn.shopify.com/a.jpg", url: "https://tea.example/products/sencha" }], buttonLabel: "見る" },
      ],
      { utm: { utm_source: "line" } },
    );
    for (const channel of ["push", "multicast", "reply"] as const) expect(await validateWithLine(account, messages, channel)).toEqual([]);
    const paths = lineFake().requests.map((r) => `${r.path} ${r.status}`).filter((p) => p.includes("/message/"));
    expect(paths).toEqual(["/v2/bot/message/validate/push 200", "/v2/bot/message/validate/multicast 200", "/v2/bot/message/validate/reply 200"]);
    expect(lineFake().sent()).toEqual([]);
  });

  it("maps LINE's error details to readable sentences", async () => {
    const { account } = await connectedAccount(db, TEST_SHOP_DOMAIN);
    const errors = await validateWithLine(
      account,
      [
        { type: "text", text: "x".repeat(5001) },
        { type: "image", originalContentUrl: "http://insecure.example/a.jpg", previewImageUrl: "https://cdn.example/a.jpg" },
      ],
      "multicast",
    );
    expect(errors).toEqual([
      "Message 1, text: Length must be between 1 and 5000",
      "Message 2, image URL: Must be an HTTPS URL of at most 2000 characters",
    ]);
  });

  it("throws when LINE could not be asked", async () => {
    const { account } = await connectedAccount(db, TEST_SHOP_DOMAIN);
    lineFake().failNext(1, { status: 500, path: "/v2/bot/message/validate/push" });
    await expect(validateWithLine(account, [{ type: "text", text: "hi" }], "push")).rejects.toThrow();
  });

  it("names the parts of a carousel", () => {
    expect(describeProperty("messages[1].contents.contents[2].hero.url")).toBe("Message 2, card 3, image");
    expect(describeProperty("messages[0].contents.footer.contents[0].action.uri")).toBe("Message 1, card, button link");
    expect(describeProperty("messages")).toBe("messages");
  });
});
