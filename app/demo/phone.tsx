// A demo user's LINE chat as their phone shows it: the account's messages on the left (text bubbles, and Flex
// messages through the previews' own renderer), what the user sent on the right in LINE green.
import type { messagingApi } from "@line/bot-sdk";
import { FlexContainerView } from "../components/flex-bubble";
import { useT } from "../i18n/i18n";
import type { PhoneEntry } from "./sandbox.server";

const BUBBLE = {
  borderRadius: 18,
  padding: "8px 12px",
  fontSize: 14,
  lineHeight: 1.45,
  whiteSpace: "pre-wrap",
  overflowWrap: "anywhere",
  maxWidth: "78%",
} as const;

function BotMessage({ message }: { message: messagingApi.Message }) {
  switch (message.type) {
    case "text":
      return <div style={{ ...BUBBLE, background: "#fff", color: "#111" }} data-testid="phone-text">{message.text}</div>;
    case "flex":
      return (
        <div style={{ maxWidth: "100%", minWidth: 0 }} data-testid="phone-flex">
          <FlexContainerView container={message.contents} />
        </div>
      );
    case "image":
      return <img src={message.previewImageUrl} alt="" style={{ maxWidth: 200, borderRadius: 12 }} />;
    default:
      return <div style={{ ...BUBBLE, background: "#fff", color: "#111" }}>{message.type}</div>;
  }
}

// The demo shop is in Tokyo; a fixed zone draws the same time on the server and in the browser.
const clock = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", hour: "2-digit", minute: "2-digit" });
const time = (at: number) => clock.format(at);

export function Phone({ sender, entries }: { sender: string; entries: PhoneEntry[] }) {
  const t = useT();
  return (
    <div
      data-testid="sandbox-phone"
      style={{ background: "#8cabd8", borderRadius: 24, padding: 12, minHeight: 360, display: "flex", flexDirection: "column", gap: 10 }}
    >
      {entries.length === 0 ? (
        <p style={{ color: "#fff", textAlign: "center", margin: "24px 0", fontSize: 13 }}>{t("demo.sandbox.empty")}</p>
      ) : (
        entries.map((entry) =>
          entry.from === "user" ? (
            <div key={entry.id} style={{ display: "flex", justifyContent: "flex-end", alignItems: "flex-end", gap: 6 }} translate="no">
              <span style={{ color: "#fff", fontSize: 11 }}>{time(entry.at)}</span>
              <div style={{ ...BUBBLE, background: "#8de055", color: "#111" }} data-testid="phone-user-text">
                {entry.text}
              </div>
            </div>
          ) : (
            <div key={entry.id} style={{ display: "flex", gap: 8, alignItems: "flex-start", minWidth: 0 }}>
              <div
                aria-hidden
                style={{ flex: "none", width: 30, height: 30, borderRadius: "50%", background: "#06c755", color: "#fff", display: "flex", alignItems: "center", justifyContent: "center", fontWeight: 700 }}
              >
                {sender.slice(0, 1)}
              </div>
              <div style={{ minWidth: 0, flex: 1, display: "flex", flexDirection: "column", gap: 2 }}>
                <span style={{ color: "#fff", fontSize: 11 }}>
                  <span translate="no">{sender}</span> · {t(`demo.sandbox.via.${entry.kind}` as "demo.sandbox.via.push")} · {time(entry.at)}
                </span>
                <div translate="no" style={{ display: "flex" }}>
                  <BotMessage message={entry.message} />
                </div>
              </div>
            </div>
          ),
        )
      )}
    </div>
  );
}
