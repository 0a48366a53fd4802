// Tag rules in priority order: dragged by their handle (HTML drag and drop), or moved with the up/down buttons
// (keyboard and screen readers). The first rule whose tag a friend has decides their menu.
import { BlockStack, Button, InlineStack, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { useT } from "../../i18n/i18n";

export type RuleRow = { key: string; tagId: string; richMenuId: string };

export function moveRule<T>(rows: T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= rows.length || to >= rows.length) return rows;
  const next = [...rows];
  const [row] = next.splice(from, 1);
  next.splice(to, 0, row!);
  return next;
}

export function RuleList(props: {
  rules: RuleRow[];
  onChange: (rules: RuleRow[]) => void;
  tags: { id: string; name: string }[];
  menus: { id: string; name: string }[];
  error: (...fields: string[]) => string | undefined;
}) {
  const t = useT();
  const [dragging, setDragging] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const set = (index: number, patch: Partial<RuleRow>) => props.onChange(props.rules.map((rule, i) => (i === index ? { ...rule, ...patch } : rule)));
  const move = (from: number, to: number) => props.onChange(moveRule(props.rules, from, to));
  return (
    <ol style={{ listStyle: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: 8 }} aria-label={t("richMenuPages.rules.title")}>
      {props.rules.map((rule, index) => (
        <li
          key={rule.key}
          data-rule={index + 1}
          onDragOver={(event) => {
            event.preventDefault();
            setOver(index);
          }}
          onDrop={(event) => {
            event.preventDefault();
            if (dragging !== null) move(dragging, index);
            setDragging(null);
            setOver(null);
          }}
          style={{
            border: over === index && dragging !== null && dragging !== index ? "2px dashed #005bd3" : "1px solid #e3e3e3",
            borderRadius: 8,
            padding: 12,
            background: dragging === index ? "#f6f6f7" : "#fff",
          }}
        >
          <div style={{ display: "flex", gap: 12, alignItems: "flex-start", flexWrap: "wrap" }}>
            <span
              draggable
              role="img"
              aria-label={t("richMenuPages.rules.drag", { number: index + 1 })}
              data-drag-handle={index + 1}
              onDragStart={(event) => {
                event.dataTransfer.effectAllowed = "move";
                event.dataTransfer.setData("text/plain", String(index));
                setDragging(index);
              }}
              onDragEnd={() => {
                setDragging(null);
                setOver(null);
              }}
              style={{ cursor: "grab", fontSize: 18, lineHeight: "32px", userSelect: "none", color: "#616161", padding: "0 4px" }}
            >
              ⠿
            </span>
            <div style={{ minWidth: 64, lineHeight: "32px" }}>
              <Text as="span" fontWeight="semibold">
                {t("richMenuPages.rules.priority", { number: index + 1 })}
              </Text>
            </div>
            <div style={{ flex: "1 1 180px", minWidth: 160 }}>
              <Select
                label={t("richMenuPages.rules.tag")}
                options={[{ label: t("richMenuPages.action.chooseTag"), value: "" }, ...props.tags.map((tag) => ({ label: tag.name, value: tag.id }))]}
                value={rule.tagId}
                onChange={(tagId) => set(index, { tagId })}
                error={props.error(`${index}.tagId`)}
              />
            </div>
            <div style={{ flex: "1 1 180px", minWidth: 160 }}>
              <Select
                label={t("richMenuPages.rules.menu")}
                options={[{ label: t("richMenuPages.tabs.chooseMenu"), value: "" }, ...props.menus.map((menu) => ({ label: menu.name, value: menu.id }))]}
                value={rule.richMenuId}
                onChange={(richMenuId) => set(index, { richMenuId })}
                error={props.error(`${index}.richMenuId`)}
              />
            </div>
            <InlineStack gap="100" blockAlign="center">
              <Button size="slim" accessibilityLabel={t("richMenuPages.rules.up", { number: index + 1 })} disabled={index === 0} onClick={() => move(index, index - 1)}>
                ↑
              </Button>
              <Button size="slim" accessibilityLabel={t("richMenuPages.rules.down", { number: index + 1 })} disabled={index === props.rules.length - 1} onClick={() => move(index, index + 1)}>
                ↓
              </Button>
              <Button size="slim" tone="critical" variant="plain" accessibilityLabel={t("richMenuPages.rules.remove", { number: index + 1 })} onClick={() => props.onChange(props.rules.filter((_, i) => i !== index))}>
                ✕
              </Button>
            </InlineStack>
          </div>
        </li>
      ))}
    </ol>
  );
}

export function RulesEmpty() {
  const t = useT();
  return (
    <BlockStack>
      <Text as="p" tone="subdued">
        {t("richMenuPages.rules.empty")}
      </Text>
    </BlockStack>
  );
}
