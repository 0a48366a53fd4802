// Every LINE error we know, as stored (Delivery.errorStatus + reason, CartReminder.error, a rich menu's failedReason,
// a webhook registration's detail), becomes the merchant's words with the action to take, in Japanese and English;
// an answer we do not know reads "LINE refused: …" with LINE's own words in small print, marked translate="no".
import { AppProvider } from "@shopify/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LineErrorOriginal, LineErrorText } from "~/components/line-error-text";
import { LocaleProvider } from "~/i18n/i18n";
import { messages, translate, type Locale } from "~/i18n/messages";
import { lineErrorView, type LineErrorKey, type StoredLineError } from "~/line/error-message";
import { storedLineErrorKey } from "~/line/line-errors.server";

// LINE's documented answers (Messaging API reference, "Error responses" / "Status codes"), as lineErrorMessage
// stores them, and what the merchant should read.
const KNOWN: [string, StoredLineError, LineErrorKey][] = [
  ["invalid body", "400 The request body has 1 error(s) messages[0].text: Length must be between 1 and 5000", "line.error.invalidBody"],
  ["unparsable body", "400 The request body could not be parsed as JSON (line: -, column: -)", "line.error.invalidBody"],
  ["invalid 'to'", "400 The property, 'to', in the request body is invalid (line: -, column: -)", "line.error.invalidRecipient"],
  ["invalid 'to' (older wording)", { status: 400, message: "The property 'to' in the request body is invalid" }, "line.error.invalidRecipient"],
  ["invalid userId parameter", "400 The value for the 'userId' parameter is invalid", "line.error.invalidRecipient"],
  ["invalid reply token", "400 Invalid reply token", "line.error.replyToken"],
  ["wrong channel secret", "400 invalid client_id or client_secret", "line.error.credentials"],
  ["no webhook endpoint", "400 The webhook endpoint is not set", "line.error.webhookEndpoint"],
  ["rich menu limit", "400 The maximum number of rich menus has been reached", "line.error.richMenuLimit"],
  ["rich menu image", "400 The image does not meet the rich menu image requirements", "line.error.richMenuImage"],
  ["invalid token", "401 Authentication failed due to the following reason: invalid token. Confirm that the access token in the authorization header is valid.", "line.error.unauthorized"],
  ["not allowed (plan)", "403 Access to this API is not available for your account", "line.error.forbidden"],
  ["not allowed (endpoint)", { status: 403, message: "Not authorized to use this endpoint" }, "line.error.forbidden"],
  ["user not found", "404 Not found", "line.error.notFound"],
  ["not a friend / blocked", { status: 404, message: "Failed to send messages" }, "line.error.notFound"],
  ["retry key accepted already", "409 The retry key is already accepted", "line.error.alreadyAccepted"],
  ["too large", "413 Payload too large: the image must be 1 MB or smaller", "line.error.tooLarge"],
  ["unsupported media", "415 Unsupported media type: JPEG or PNG only", "line.error.unsupportedMedia"],
  ["rate limit", "429 The API rate limit has been exceeded. Try again later.", "line.error.rateLimited"],
  ["monthly limit", "429 You have reached your monthly limit.", "line.error.monthlyLimit"],
  ["monthly limit, held for quota", "quota: 429 You have reached your monthly limit.", "line.error.monthlyLimit"],
  ["another 429", "429 Too many concurrent requests", "line.error.tooManyRequests"],
  ["500", "500 Internal server error", "line.error.unavailable"],
  ["503", { status: 503, message: "Service unavailable" }, "line.error.unavailable"],
  ["timeout", "LINE did not answer within 10000 ms", "line.error.timeout"],
  ["network", "fetch failed", "line.error.network"],
];

// Each known text says what to do: a verb of action in either language.
const ACTION = {
  en: /\b(check|try|send|correct|reconnect|delete|use|upload|contact|nothing to do|resumes|raising|changing)\b/i,
  ja: /(ご確認|確認し|お試し|送って|送信して|修正して|再接続|削除して|使って|アップロード|お問い合わせ|対応は不要|再開|再度|減らして)/,
};

describe("a known LINE error", () => {
  it.each(KNOWN)("%s → its own text, with the action to take in ja and en", (_name, stored, key) => {
    const view = lineErrorView(stored);
    expect(view.key).toBe(key);
    expect(view.known).toBe(true);
    expect(translate("en", view.key, view.values)).toMatch(ACTION.en);
    expect(translate("ja", view.key, view.values)).toMatch(ACTION.ja);
    expect(translate("ja", view.key, view.values)).not.toMatch(/LINEが受け付けませんでした：想定外/);
  });

  it("keeps LINE's words as the original, with the status when it was stored apart", () => {
    expect(lineErrorView("400 Invalid reply token").original).toBe("400 Invalid reply token");
    expect(lineErrorView({ status: 503, message: "Service unavailable" }).original).toBe("503 Service unavailable");
    expect(lineErrorView({ status: 429, message: "429 You have reached your monthly limit." }).original).toBe("429 You have reached your monthly limit.");
  });

  it("is the same key the server gives a stored delivery refusal", () => {
    expect(storedLineErrorKey(400, "400 The property, 'to', in the request body is invalid")).toBe("line.error.invalidRecipient");
    expect(storedLineErrorKey(429, "429 You have reached your monthly limit.")).toBe("line.error.monthlyLimit");
    expect(storedLineErrorKey(418, "418 I'm a teapot")).toBe("line.error.unknown");
  });
});

describe("an unknown LINE error", () => {
  it.each([
    ["an unknown 400 message", "400 The value of limit must be an integer between 1 and 1000", "400"],
    ["an unknown status", { status: 418, message: "I'm a teapot" }, "418"],
  ] as [string, StoredLineError, string][])("%s reads LINE refused, with the status", (_name, stored, status) => {
    const view = lineErrorView(stored);
    expect(view).toMatchObject({ key: "line.error.unknown", known: false, values: { status } });
    expect(translate("en", view.key, view.values)).toMatch(new RegExp(`^LINE refused: .*HTTP ${status}`));
    expect(translate("ja", view.key, view.values)).toMatch(new RegExp(`^LINEが受け付けませんでした：.*HTTP ${status}`));
  });

  it("without a status", () => {
    const view = lineErrorView("something odd");
    expect(view).toMatchObject({ key: "line.error.unknownNoStatus", known: false, original: "something odd" });
    expect(translate("en", view.key)).toMatch(/^LINE refused: /);
    expect(translate("ja", view.key)).toMatch(/^LINEが受け付けませんでした：/);
  });
});

const render = (locale: Locale, node: React.ReactNode) =>
  renderToString(
    <AppProvider i18n={polarisEn}>
      <LocaleProvider locale={locale}>{node}</LocaleProvider>
    </AppProvider>,
  );

describe("<LineErrorText>", () => {
  it("shows the Japanese explanation and LINE's original in small print, marked translate=no", () => {
    const html = render("ja", <LineErrorText error="400 The property, 'to', in the request body is invalid (line: -, column: -)" />);
    expect(html).toContain(translate("ja", "line.error.invalidRecipient"));
    expect(html).toMatch(/Polaris-Text--bodySm[^>]*Polaris-Text--subdued|Polaris-Text--subdued[^>]*Polaris-Text--bodySm|Polaris-Text--bodySm/);
    expect(html).toMatch(/<span translate="no"[^>]*>400 The property, &#x27;to&#x27;, in the request body is invalid/);
    // LINE's English appears only inside the translate="no" span.
    const outside = html.replace(/<span translate="no"[^>]*>[^<]*<\/span>/g, "");
    expect(outside).not.toMatch(/The property/);
  });

  it("shows an unknown error as LINE refused, in English and Japanese, wrapped in the page's sentence", () => {
    const en = render("en", <LineErrorText error={{ status: 418, message: "418 I'm a teapot" }} sentence={(reason) => `3 batches failed: ${reason}`} />);
    expect(en).toContain("3 batches failed: LINE refused: an answer we do not recognise (HTTP 418)");
    expect(en).toContain("418 I&#x27;m a teapot");
    const ja = render("ja", <LineErrorText error="500 Internal server error" />);
    expect(ja).toContain(translate("ja", "line.error.unavailable"));
  });

  it("LineErrorOriginal alone renders nothing for no text", () => {
    expect(render("ja", <LineErrorOriginal text={null} />)).not.toContain("translate");
    expect(render("ja", <LineErrorOriginal text="409 The retry key is already accepted" />)).toContain('translate="no"');
  });
});

it("every line.error key has Japanese and English", () => {
  const keys = Object.keys(messages.en).filter((key) => key.startsWith("line.error.")) as (keyof typeof messages.en)[];
  for (const key of keys) {
    expect(messages.ja[key], key).toMatch(/[ぁ-んァ-ン一-龯]/);
    expect(messages.ja[key]).not.toBe(messages.en[key]);
  }
});
