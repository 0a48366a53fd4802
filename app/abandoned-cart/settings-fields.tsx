// Two fields of the cart-reminder settings: a list of tag names, and a colour with its picker and contrast note.
import { BlockStack, Button, InlineStack, Tag, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useT } from "../i18n/i18n";
import { SETTINGS_LIMITS } from "./settings-rules";

export const HEX = /^#[0-9A-Fa-f]{6}$/;

/** Several tag names: type one and press Enter (or Add); each shows as a removable chip. */
export function TagListField(props: {
  label: string;
  helpText: string;
  values: string[];
  onChange: (values: string[]) => void;
  error?: string;
}) {
  const t = useT();
  const [draft, setDraft] = useState("");
  const add = () => {
    const names = draft.split(/[,、]/).map((name) => name.trim()).filter(Boolean);
    if (names.length) props.onChange([...new Set([...props.values, ...names])]);
    setDraft("");
  };
  return (
    <BlockStack gap="200">
      <div
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.nativeEvent.isComposing) {
            event.preventDefault();
            add();
          }
        }}
      >
        <TextField
          label={props.label}
          helpText={props.helpText}
          value={draft}
          onChange={setDraft}
          autoComplete="off"
          maxLength={SETTINGS_LIMITS.tagName}
          error={props.error}
          connectedRight={
            <Button onClick={add} disabled={!draft.trim() || props.values.length >= SETTINGS_LIMITS.tags}>
              {t("cart.tags.add")}
            </Button>
          }
        />
      </div>
      {props.values.length > 0 && (
        <InlineStack gap="200">
          {props.values.map((name) => (
            <span key={name} translate="no">
              <Tag onRemove={() => props.onChange(props.values.filter((value) => value !== name))}>{name}</Tag>
            </span>
          ))}
        </InlineStack>
      )}
    </BlockStack>
  );
}

export function ColorField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  note: (color: string) => string;
}) {
  const t = useT();
  const valid = HEX.test(props.value.trim());
  const color = valid ? props.value.trim().toUpperCase() : "#06C755";
  return (
    <TextField
      label={props.label}
      value={props.value}
      onChange={props.onChange}
      autoComplete="off"
      monospaced
      maxLength={7}
      error={props.error}
      helpText={valid ? props.note(color) : undefined}
      prefix={
        <span
          aria-hidden
          style={{ display: "block", width: 16, height: 16, borderRadius: 4, background: color, border: "1px solid rgba(0,0,0,.2)" }}
        />
      }
      connectedRight={
        <input
          type="color"
          aria-label={t("cart.color.picker", { label: props.label })}
          value={color.toLowerCase()}
          onChange={(event) => props.onChange(event.target.value.toUpperCase())}
          style={{ width: 40, height: 34, padding: 2, border: "1px solid #8a8a8a", borderRadius: 8, background: "#fff", cursor: "pointer" }}
        />
      }
    />
  );
}
