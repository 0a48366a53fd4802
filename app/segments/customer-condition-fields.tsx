// The inputs of the conditions on Shopify customer data (linked friends): spend, orders, order dates, purchases
// (products, variants or collections picked with App Bridge's resource picker), customer tags, marketing consent
// and the default address.
import { Banner, BlockStack, Button, InlineGrid, InlineStack, Select, Tag, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useT } from "../i18n/i18n";
import { MAX_IDS, type Condition } from "./model";
import type { EditorOptions } from "./options";
import { pickResources, resourcePickerAvailable, type ResourceType } from "./resource-picker";

type CustomerCondition = Extract<Condition, { field: "totalSpent" | "ordersCount" | "orderDate" | "purchased" | "customerTag" | "marketingConsent" | "location" }>;
export const CUSTOMER_FIELDS = ["totalSpent", "ordersCount", "orderDate", "purchased", "customerTag", "marketingConsent", "location"] as const;
export const isCustomerCondition = (condition: Condition): condition is CustomerCondition =>
  (CUSTOMER_FIELDS as readonly string[]).includes(condition.field);

type Props = {
  condition: CustomerCondition;
  onChange: (next: Condition) => void;
  options: EditorOptions;
  error: (path: string) => string | undefined;
};

const toNumber = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));
const numberText = (value: number | null | undefined) => (value == null || Number.isNaN(value) ? "" : String(value));
/** Comma- or space-separated words, as typed. */
const words = (text: string) => text.split(/[,、\s]+/).map((word) => word.trim()).filter(Boolean);

function usePicker() {
  const [available, setAvailable] = useState(false);
  useEffect(() => setAvailable(resourcePickerAvailable()), []);
  return available;
}

function CompareFields(props: { op: "gte" | "lte"; value: number; label: string; onOp: (op: "gte" | "lte") => void; onValue: (value: number) => void; error?: string; suffix?: string }) {
  const t = useT();
  return (
    <InlineGrid columns={{ xs: 1, sm: 2 }} gap="200">
      <Select
        label={t("segments.match")}
        options={[
          { value: "gte", label: t("segments.compare.gte") },
          { value: "lte", label: t("segments.compare.lte") },
        ]}
        value={props.op}
        onChange={(op) => props.onOp(op as "gte" | "lte")}
      />
      <TextField label={props.label} type="number" min={0} value={numberText(props.value)} onChange={(v) => props.onValue(toNumber(v))} error={props.error} suffix={props.suffix} autoComplete="off" />
    </InlineGrid>
  );
}

function PurchasedFields({ condition, onChange, error }: Props & { condition: Extract<Condition, { field: "purchased" }> }) {
  const t = useT();
  const picker = usePicker();
  const change = (patch: Partial<typeof condition>) => onChange({ ...condition, ...patch });
  const pick = async () => {
    const picked = await pickResources(condition.target, condition.items, MAX_IDS);
    if (picked?.length) change({ items: picked });
  };
  return (
    <BlockStack gap="200">
      <InlineGrid columns={{ xs: 1, sm: 2 }} gap="200">
        <Select
          label={t("segments.match")}
          options={[
            { value: "any", label: t("segments.purchased.any") },
            { value: "none", label: t("segments.purchased.none") },
          ]}
          value={condition.match}
          onChange={(match) => change({ match: match as "any" | "none" })}
        />
        <Select
          label={t("segments.purchased.target")}
          options={(["product", "variant", "collection"] as const).map((value) => ({ value, label: t(`segments.purchased.target.${value}`) }))}
          value={condition.target}
          // Ids of another kind mean nothing here: the picked items are cleared.
          onChange={(target) => change({ target: target as ResourceType, items: target === condition.target ? condition.items : [] })}
        />
      </InlineGrid>
      {!picker ? <Banner tone="info">{t("segments.purchased.pickerUnavailable")}</Banner> : null}
      {condition.items.length ? (
        <InlineStack gap="100">
          {condition.items.map((item) => (
            <Tag key={item.id} onRemove={() => change({ items: condition.items.filter((other) => other.id !== item.id) })}>
              {item.title || `#${item.id}`}
            </Tag>
          ))}
        </InlineStack>
      ) : null}
      {error("items") ? (
        <Text as="p" tone="critical">
          {error("items")}
        </Text>
      ) : null}
      <InlineStack>
        <Button onClick={() => void pick()} disabled={!picker}>
          {t(`segments.purchased.pick.${condition.target}`)}
        </Button>
      </InlineStack>
      {condition.target === "collection" ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {t("segments.purchased.collectionHelp")}
        </Text>
      ) : null}
      <InlineGrid columns={{ xs: 1, sm: 2 }} gap="200">
        <Select
          label={t("segments.purchased.period")}
          options={[
            { value: "ever", label: t("segments.purchased.ever") },
            { value: "lastDays", label: t("segments.purchased.lastDays") },
          ]}
          value={condition.period}
          onChange={(period) => change({ period: period as "ever" | "lastDays", days: period === "lastDays" ? (condition.days ?? 90) : null })}
        />
        {condition.period === "lastDays" ? (
          <TextField label={t("segments.since.days")} type="number" min={1} value={numberText(condition.days)} onChange={(v) => change({ days: toNumber(v) })} error={error("days")} autoComplete="off" />
        ) : null}
      </InlineGrid>
    </BlockStack>
  );
}

export function CustomerConditionFields(props: Props) {
  const t = useT();
  const { condition, options, error } = props;
  const change = (patch: Partial<CustomerCondition>) => props.onChange({ ...condition, ...patch } as Condition);
  switch (condition.field) {
    case "totalSpent":
      return (
        <BlockStack gap="100">
          <CompareFields op={condition.op} value={condition.amount} label={t("segments.totalSpent.amount")} suffix={options.currency ?? undefined} onOp={(op) => change({ op })} onValue={(amount) => change({ amount })} error={error("amount")} />
          <Text as="p" variant="bodySm" tone="subdued">
            {options.currency ? t("segments.totalSpent.help", { currency: options.currency }) : t("segments.totalSpent.noCurrency")}
          </Text>
        </BlockStack>
      );
    case "ordersCount":
      return <CompareFields op={condition.op} value={condition.count} label={t("segments.ordersCount.count")} onOp={(op) => change({ op })} onValue={(count) => change({ count })} error={error("count")} />;
    case "orderDate":
      return (
        <InlineGrid columns={{ xs: 1, sm: 3 }} gap="200">
          <Select
            label={t("segments.orderDate.which")}
            options={[
              { value: "first", label: t("segments.orderDate.first") },
              { value: "last", label: t("segments.orderDate.last") },
            ]}
            value={condition.which}
            onChange={(which) => change({ which: which as "first" | "last" })}
          />
          <Select
            label={t("segments.match")}
            options={[
              { value: "true", label: t("segments.lastMessage.within") },
              { value: "false", label: t("segments.lastMessage.notWithin") },
            ]}
            value={String(condition.within)}
            onChange={(value) => change({ within: value === "true" })}
          />
          <TextField label={t("segments.lastMessage.days")} type="number" min={1} value={numberText(condition.days)} onChange={(v) => change({ days: toNumber(v) })} error={error("days")} autoComplete="off" />
        </InlineGrid>
      );
    case "purchased":
      return <PurchasedFields {...props} condition={condition} />;
    case "customerTag":
      return (
        <BlockStack gap="200">
          <Select
            label={t("segments.match")}
            labelHidden
            options={(["any", "all", "none"] as const).map((value) => ({ value, label: t(`segments.tags.${value}`) }))}
            value={condition.match}
            onChange={(match) => change({ match: match as "any" | "all" | "none" })}
          />
          <TextField
            label={t("segments.customerTag.tags")}
            helpText={t("segments.customerTag.help")}
            value={condition.tags.join(", ")}
            onChange={(text) => change({ tags: words(text) })}
            error={error("tags") ?? error("tags.0")}
            autoComplete="off"
          />
        </BlockStack>
      );
    case "marketingConsent":
      return (
        <InlineGrid columns={{ xs: 1, sm: 2 }} gap="200">
          <Select
            label={t("segments.marketing.channel")}
            options={[
              { value: "email", label: t("segments.marketing.email") },
              { value: "sms", label: t("segments.marketing.sms") },
            ]}
            value={condition.channel}
            onChange={(channel) => change({ channel: channel as "email" | "sms" })}
          />
          <Select
            label={t("segments.match")}
            options={[
              { value: "true", label: t("segments.marketing.subscribed") },
              { value: "false", label: t("segments.marketing.notSubscribed") },
            ]}
            value={String(condition.subscribed)}
            onChange={(value) => change({ subscribed: value === "true" })}
          />
        </InlineGrid>
      );
    case "location":
      return (
        <BlockStack gap="200">
          <Select
            label={t("segments.match")}
            labelHidden
            options={[
              { value: "any", label: t("segments.location.any") },
              { value: "none", label: t("segments.location.none") },
            ]}
            value={condition.match}
            onChange={(match) => change({ match: match as "any" | "none" })}
          />
          <InlineGrid columns={{ xs: 1, sm: 2 }} gap="200">
            <TextField label={t("segments.location.country")} helpText={t("segments.location.countryHelp")} value={condition.countryCode} onChange={(v) => change({ countryCode: v.trim().toUpperCase() })} error={error("countryCode")} autoComplete="off" maxLength={2} />
            <TextField
              label={t("segments.location.provinces")}
              helpText={t("segments.location.provincesHelp")}
              value={condition.provinceCodes.join(", ")}
              onChange={(text) => change({ provinceCodes: words(text.toUpperCase()) })}
              error={error("provinceCodes") ?? error("provinceCodes.0")}
              autoComplete="off"
            />
          </InlineGrid>
        </BlockStack>
      );
  }
}
