// Tags picked from the shop's tags: a select that adds, and removable chips for those picked.
import { BlockStack, InlineStack, Select, Tag } from "@shopify/polaris";
import { useT } from "../../i18n/i18n";
import type { Option } from "./draft";

export function TagPicker(props: { label: string; tags: Option[]; value: string[]; onChange: (ids: string[]) => void; error?: string }) {
  const t = useT();
  const left = props.tags.filter((tag) => !props.value.includes(tag.id));
  return (
    <BlockStack gap="200">
      <Select
        label={props.label}
        options={[{ label: t("scenarioPages.tags.choose"), value: "" }, ...left.map((tag) => ({ label: tag.name, value: tag.id }))]}
        value=""
        onChange={(id) => id && props.onChange([...props.value, id])}
        disabled={left.length === 0}
        error={props.error}
      />
      {props.value.length > 0 && (
        <InlineStack gap="200">
          {props.value.map((id) => (
            <Tag key={id} onRemove={() => props.onChange(props.value.filter((x) => x !== id))}>
              {props.tags.find((tag) => tag.id === id)?.name ?? "?"}
            </Tag>
          ))}
        </InlineStack>
      )}
    </BlockStack>
  );
}

/** One tag out of the shop's tags; "" until one is chosen. */
export function TagSelect(props: { label: string; tags: Option[]; value: string; onChange: (id: string) => void; error?: string }) {
  const t = useT();
  return (
    <Select
      label={props.label}
      options={[{ label: t("scenarioPages.tags.choose"), value: "" }, ...props.tags.map((tag) => ({ label: tag.name, value: tag.id }))]}
      value={props.value}
      onChange={props.onChange}
      error={props.error}
    />
  );
}
