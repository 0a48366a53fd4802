// The composer rendered on the server as the page's first paint: its editors, LINE's character count, errors in the
// admin's language, and the preview drawn from the builder's output.
import { AppProvider } from "@shopify/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LocaleProvider } from "~/i18n/i18n";
import type { Locale } from "~/i18n/messages";
import { buildLineMessages } from "~/messages/build";
import { MessageComposer, type MessageComposerProps } from "~/messages/composer";
import type { ComposedMessage } from "~/messages/model";

function render(props: Partial<MessageComposerProps> & { value: ComposedMessage[] }, locale: Locale = "en") {
  return renderToString(
    <AppProvider i18n={polarisEn}>
      <LocaleProvider locale={locale}>
        <MessageComposer onChange={() => {}} {...props} />
      </LocaleProvider>
    </AppProvider>,
  );
}

const value: ComposedMessage[] = [
  { type: "text", text: "{displayName}さん🍵 新茶です" },
  { type: "image", url: "https://cdn.shopify.com/a.jpg", previewUrl: "https://cdn.shopify.com/a.jpg?width=800" },
  {
    type: "products",
    products: [{ productId: "gid://shopify/Product/1", title: "静岡 煎茶", price: "1200.0", currency: "JPY", imageUrl: "https://cdn.shopify.com/s.jpg", url: "https://tea.example/products/sencha" }],
    buttonLabel: "見る",
  },
];

describe("MessageComposer", () => {
  it("shows each message's editor and a preview built by buildLineMessages with the sample name and UTM", () => {
    const utm = { utm_source: "line", utm_campaign: "spring" };
    const html = render({ value, utm, sender: "Tokyo Tea" });
    expect(html).toContain("Message 1");
    expect(html).toContain("Message 3");
    expect(html).toContain("Insert friend&#x27;s name");
    expect(html).toContain("Name for friends whose name is unknown");
    // "{displayName}" counts 40, "さん🍵 新茶です" 9 (the emoji is 2).
    expect(html).toContain("49 / 5,000 characters");
    const built = buildLineMessages(value, { displayName: "Alex", utm, locale: "en" });
    expect(html).toContain((built[0] as { text: string }).text);
    expect(html).toContain("Alexさん🍵 新茶です");
    expect(html).toContain("https://tea.example/products/sencha?utm_source=line&amp;utm_campaign=spring");
    expect(html).toContain("¥1,200"); // the admin's language formats the price: en-US writes the half-width yen sign
    expect(html).toContain("Tokyo Tea");
  });

  it("speaks Japanese", () => {
    const html = render({ value }, "ja");
    expect(html).toContain("メッセージ1");
    expect(html).toContain("友だちの名前を挿入");
    expect(html).toContain("山田花子さん🍵 新茶です");
  });

  it("shows field errors in words, LINE's errors in a banner, and stops adding at 5 messages", () => {
    const five = Array.from({ length: 5 }, (): ComposedMessage => ({ type: "text", text: "hi" }));
    const html = render({ value: five, errors: { "1.text": "messagesComposer.error.textTooLong", "line.0": "Message 2, text: Length must be between 1 and 5000" } });
    expect(html).toContain("Use 5000 characters or fewer");
    expect(html).toContain("Message 2, text: Length must be between 1 and 5000");
    expect(html).toContain("A send holds up to 5 messages.");
    expect(html.match(/Add text<\/span><\/span><\/button>/)).toBeNull();
  });

  it("leaves messages still being filled in out of the preview", () => {
    const html = render({ value: [{ type: "image", url: "", previewUrl: "" }] });
    expect(html).toContain("Your messages appear here.");
  });
});
