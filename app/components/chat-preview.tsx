import { MessagesPreview } from "../messages/preview";

/** Text messages as they appear in a LINE chat (greeting, auto-replies): the one LINE preview, given text messages. */
export function ChatPreview(props: { sender: string; messages: string[]; empty: string }) {
  const messages = props.messages.map((text) => ({ type: "text" as const, text }));
  // What the merchant wrote and the account's name: not for the browser's translator nor the untranslated-word check.
  return (
    <div translate="no">
      <MessagesPreview messages={messages} sender={props.sender} empty={props.empty} testId="line-preview" />
    </div>
  );
}
