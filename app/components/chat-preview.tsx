import { Box } from "@shopify/polaris";

/** Text messages as they appear in a LINE chat: the account's icon and name, white bubbles on LINE's blue. */
export function ChatPreview(props: { sender: string; messages: string[]; empty: string }) {
  return (
    <div style={{ background: "#8cabd8", borderRadius: 12, padding: 12 }} data-testid="line-preview">
      {props.messages.length === 0 ? (
        <p style={{ color: "#fff", textAlign: "center", margin: "24px 0", fontSize: 13 }}>{props.empty}</p>
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
            {props.sender.slice(0, 1)}
          </div>
          <Box minWidth="0">
            <div style={{ color: "#fff", fontSize: 12, marginBottom: 4 }}>{props.sender}</div>
            <div style={{ display: "flex", flexDirection: "column", gap: 6, alignItems: "flex-start", maxWidth: 360 }}>
              {props.messages.map((text, index) => (
                <div
                  key={index}
                  style={{
                    background: "#fff",
                    color: "#111",
                    borderRadius: 18,
                    padding: "8px 12px",
                    fontSize: 14,
                    lineHeight: 1.45,
                    whiteSpace: "pre-wrap",
                    overflowWrap: "anywhere",
                  }}
                >
                  {text}
                </div>
              ))}
            </div>
          </Box>
        </div>
      )}
    </div>
  );
}
