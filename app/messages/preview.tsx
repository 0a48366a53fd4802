// LINE message objects drawn as a LINE chat shows them: what buildLineMessages returned, so the merchant sees what
// friends receive (text with the name filled in, images, product cards and carousels with their links).
import type { messagingApi } from "@line/bot-sdk";
import { FlexContainerView } from "../components/flex-bubble";
import { initial } from "../i18n/format";

const BUBBLE = {
  background: "#fff",
  color: "#111",
  borderRadius: 18,
  padding: "8px 12px",
  fontSize: 14,
  lineHeight: 1.45,
  whiteSpace: "pre-wrap",
  overflowWrap: "anywhere",
} as const;

function MessageView({ message }: { message: messagingApi.Message }) {
  switch (message.type) {
    case "text":
      return <div style={BUBBLE} data-testid="preview-text">{message.text}</div>;
    case "image":
      return (
        <a href={message.originalContentUrl} target="_blank" rel="noreferrer" data-testid="preview-image">
          <img src={message.previewImageUrl} alt="" style={{ display: "block", maxWidth: 240, maxHeight: 240, borderRadius: 12 }} />
        </a>
      );
    case "flex":
      return <FlexContainerView container={message.contents} />;
    default:
      return <div style={BUBBLE}>{message.type}</div>;
  }
}

export function MessagesPreview(props: { messages: messagingApi.Message[]; sender?: string; empty?: string; testId?: string }) {
  const sender = props.sender ?? "LINE";
  return (
    <div style={{ background: "#8cabd8", borderRadius: 12, padding: 12 }} data-testid={props.testId ?? "messages-preview"}>
      {props.messages.length === 0 ? (
        <p style={{ color: "#fff", textAlign: "center", margin: "24px 0", fontSize: 13 }}>{props.empty ?? ""}</p>
      ) : (
        <div style={{ display: "flex", gap: 8, alignItems: "flex-start" }}>
          <div
            aria-hidden
            style={{
              flex: "none",
              width: 34,
              height: 34,
              borderRadius: "50%",
              background: "#06c755",
              color: "#fff",
              fontWeight: 700,
              display: "flex",
              alignItems: "center",
              justifyContent: "center",
            }}
          >
            {initial(sender)}
          </div>
          <div style={{ minWidth: 0, flex: 1 }}>
            <div style={{ color: "#fff", fontSize: 12, marginBottom: 4 }}>{sender}</div>
            <div style={{ display: "flex", flexDirection: "column", gap: 6, alignItems: "flex-start", minWidth: 0 }}>
              {props.messages.map((message, index) => (
                <div key={index} style={{ maxWidth: "100%", minWidth: 0 }}>
                  <MessageView message={message} />
                </div>
              ))}
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
