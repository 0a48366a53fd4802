import { BlockStack, Button, InlineStack, TextField } from "@shopify/polaris";

/**
 * The text messages LINE sends one after another: a field each (removable while there are several) and an add
 * button up to the limit.
 */
export function MessageListField(props: {
  messages: string[];
  limits: { messages: number; length: number };
  rows: number;
  label: (n: number) => string;
  removeLabel: string;
  addLabel: string;
  error: (index: number) => string | undefined;
  onChange: (index: number, value: string) => void;
  onRemove: (index: number) => void;
  onAdd: () => void;
}) {
  const { messages } = props;
  return (
    <BlockStack gap="400">
      {messages.map((message, index) => (
        <TextField
          key={index}
          label={props.label(index + 1)}
          labelAction={
            messages.length > 1 ? { content: props.removeLabel, onAction: () => props.onRemove(index) } : undefined
          }
          value={message}
          onChange={(value) => props.onChange(index, value)}
          multiline={props.rows}
          maxLength={props.limits.length}
          showCharacterCount
          autoComplete="off"
          error={props.error(index)}
        />
      ))}
      <InlineStack>
        <Button onClick={props.onAdd} disabled={messages.length >= props.limits.messages}>
          {props.addLabel}
        </Button>
      </InlineStack>
    </BlockStack>
  );
}
