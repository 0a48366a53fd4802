// The auto-replies page's rule list and its "try it" box.
import { Badge, BlockStack, Button, ButtonGroup, IndexTable, InlineStack, Text, TextField, useBreakpoints } from "@shopify/polaris";
import { useMemo, useState, type ReactNode } from "react";
import { matchRule } from "../auto-replies/match";
import { useT } from "../i18n/i18n";
import type { AutoReplyRule } from "../auto-replies/rule";
import { ChatPreview } from "./chat-preview";
import { SectionCard } from "./section-card";

type RuleTableProps = {
  rules: AutoReplyRule[];
  busy: boolean;
  onMove: (index: number, by: -1 | 1) => void;
  onToggle: (rule: AutoReplyRule) => void;
  /** The rule's own screen. */
  editUrl: (rule: AutoReplyRule) => string;
  onDelete: (rule: AutoReplyRule) => void;
};

/**
 * The rules in the order they are tried, with buttons to reorder, turn on or off, edit and delete each. On a phone
 * the table is condensed: one stacked row per rule (the breakpoint is known after hydration; the server draws the
 * desktop table).
 */
export function RuleTable(props: RuleTableProps) {
  const t = useT();
  const { smDown } = useBreakpoints();
  const { rules } = props;
  const status = (rule: AutoReplyRule) => (
    <Badge tone={rule.enabled ? "success" : undefined}>{t(rule.enabled ? "autoReplies.status.on" : "autoReplies.status.off")}</Badge>
  );
  const name = (rule: AutoReplyRule) => (
    <span translate="no">
      <Text as="span" fontWeight="semibold" breakWord>
        {rule.name}
      </Text>
    </span>
  );
  const pattern = (rule: AutoReplyRule) => (
    <code translate="no" style={{ whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
      {rule.pattern}
    </code>
  );
  return (
    <IndexTable
      resourceName={{ singular: t("autoReplies.column.name"), plural: t("autoReplies.title") }}
      itemCount={rules.length}
      selectable={false}
      condensed={smDown}
      headings={[
        { title: t("autoReplies.column.priority") },
        { title: t("autoReplies.column.name") },
        { title: t("autoReplies.column.match") },
        { title: t("autoReplies.column.pattern") },
        { title: t("autoReplies.column.status") },
        { title: t("autoReplies.column.actions"), alignment: "end" },
      ]}
    >
      {rules.map((rule, index) =>
        smDown ? (
          <IndexTable.Row id={rule.id} key={rule.id} position={index}>
            <div style={{ padding: "12px 16px", minWidth: 0 }} data-testid="rule-condensed">
              <BlockStack gap="200">
                <InlineStack gap="200" blockAlign="center" wrap>
                  <Text as="span" numeric tone="subdued">
                    {rule.priority}
                  </Text>
                  {name(rule)}
                  {status(rule)}
                </InlineStack>
                <Text as="p" tone="subdued" breakWord>
                  {t(`autoReplies.matchType.${rule.matchType}`)}: {pattern(rule)}
                </Text>
                <RuleActions {...props} rule={rule} index={index} />
              </BlockStack>
            </div>
          </IndexTable.Row>
        ) : (
          <IndexTable.Row id={rule.id} key={rule.id} position={index}>
            <IndexTable.Cell>
              <Text as="span" numeric>
                {rule.priority}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>{name(rule)}</IndexTable.Cell>
            <IndexTable.Cell>{t(`autoReplies.matchType.${rule.matchType}`)}</IndexTable.Cell>
            <IndexTable.Cell>{pattern(rule)}</IndexTable.Cell>
            <IndexTable.Cell>{status(rule)}</IndexTable.Cell>
            <IndexTable.Cell>
              <RuleActions {...props} rule={rule} index={index} align="end" />
            </IndexTable.Cell>
          </IndexTable.Row>
        ),
      )}
    </IndexTable>
  );
}

function RuleActions(props: RuleTableProps & { rule: AutoReplyRule; index: number; align?: "end" }): ReactNode {
  const t = useT();
  const { rule, index } = props;
  return (
    <InlineStack align={props.align} gap="200" wrap={props.align !== "end"}>
      <ButtonGroup variant="segmented">
        <Button size="slim" accessibilityLabel={t("autoReplies.moveUp")} disabled={index === 0 || props.busy} onClick={() => props.onMove(index, -1)}>
          ↑
        </Button>
        <Button
          size="slim"
          accessibilityLabel={t("autoReplies.moveDown")}
          disabled={index === props.rules.length - 1 || props.busy}
          onClick={() => props.onMove(index, 1)}
        >
          ↓
        </Button>
      </ButtonGroup>
      <Button size="slim" onClick={() => props.onToggle(rule)}>
        {t(rule.enabled ? "autoReplies.turnOff" : "autoReplies.turnOn")}
      </Button>
      <Button size="slim" url={props.editUrl(rule)}>
        {t("autoReplies.edit")}
      </Button>
      <Button size="slim" variant="plain" tone="critical" onClick={() => props.onDelete(rule)}>
        {t("autoReplies.delete")}
      </Button>
    </InlineStack>
  );
}

/** The "try it" box: the same matcher the worker runs (match.ts), over this account's rules, in the browser. */
export function TryIt(props: { rules: AutoReplyRule[]; sender: string }) {
  const t = useT();
  const [sample, setSample] = useState("");
  const rules = useMemo(
    () => props.rules.map((rule) => ({ ...rule, createdAt: new Date(rule.createdAt) })),
    [props.rules],
  );
  const hit = sample.trim() ? matchRule(rules, sample) : null;
  return (
    <SectionCard title={t("autoReplies.try.heading")}>
      <TextField
        label={t("autoReplies.try.label")}
        helpText={t("autoReplies.try.help")}
        value={sample}
        onChange={setSample}
        autoComplete="off"
      />
      {sample.trim() &&
        (hit ? (
          <BlockStack gap="200">
            <Text as="p" fontWeight="semibold">
              {t("autoReplies.try.match", { name: hit.name })}
            </Text>
            <ChatPreview sender={props.sender} messages={hit.messages} empty="" />
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            {t("autoReplies.try.none")}
          </Text>
        ))}
    </SectionCard>
  );
}
