// The conversation list with its filters; each row links to the thread (?c=<friend>), keeping the filters.
import { Link, useSearchParams } from "@remix-run/react";
import { Avatar, Badge, BlockStack, Box, Button, Card, Checkbox, EmptyState, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { Truncated } from "../../components/truncated";
import { useT } from "../../i18n/i18n";
import { dateTimeFormat } from "../../i18n/format";

// Two chat bubbles, inline so the page needs nothing from outside.
const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><rect x="20" y="30" width="52" height="30" rx="12" fill="#fff" stroke="#8a8a8a" stroke-width="3"/><rect x="48" y="62" width="52" height="30" rx="12" fill="#06c755"/><path d="M30 45h32M58 77h32" stroke-width="4" stroke-linecap="round" stroke="#8a8a8a"/><path d="M58 77h32" stroke="#fff" stroke-width="4" stroke-linecap="round"/></svg>',
)}`;

export type ConversationItem = {
  friendId: string;
  displayName: string | null;
  pictureUrl: string | null;
  accountName: string;
  lastMessageAt: string;
  unread: number;
  assigneeName: string | null;
  lastKind: string | null;
  lastText: string | null;
  lastDirection: string | null;
};

type Props = {
  conversations: ConversationItem[];
  nextCursor: string | null;
  selected: string | null;
  accounts: { id: string; displayName: string }[];
  tags: { id: string; name: string }[];
  filters: { unread: boolean; mine: boolean; account: string | null; tag: string | null; q: string };
  timeZone: string;
};

export function ConversationList({ conversations, nextCursor, selected, accounts, tags, filters, timeZone }: Props) {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const [query, setQuery] = useState(filters.q);
  useEffect(() => setQuery(filters.q), [filters.q]);
  const update = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete("before");
    setParams(next);
  };
  const linkTo = (friendId: string) => {
    const next = new URLSearchParams(params);
    next.set("c", friendId);
    return `?${next}`;
  };
  const preview = (c: ConversationItem) =>
    c.lastKind === "text" ? (c.lastText ?? "") : c.lastKind === "image" ? t("inbox.last.image") : c.lastKind === "sticker" ? t("inbox.last.sticker") : t("inbox.last.other");

  return (
    <Card padding="0">
      <Box padding="300">
        <BlockStack gap="200">
          <form
            onSubmit={(event) => {
              event.preventDefault();
              update("q", query.trim() || null);
            }}
          >
            <TextField label={t("inbox.search")} labelHidden placeholder={t("inbox.search")} value={query} onChange={setQuery} autoComplete="off" clearButton onClearButtonClick={() => update("q", null)} />
          </form>
          <InlineStack gap="300" wrap>
            <Checkbox label={t("inbox.filter.unread")} checked={filters.unread} onChange={(on) => update("unread", on ? "1" : null)} />
            <Checkbox label={t("inbox.filter.mine")} checked={filters.mine} onChange={(on) => update("mine", on ? "1" : null)} />
          </InlineStack>
          <InlineStack gap="200" wrap={false}>
            {accounts.length > 1 ? (
              <Select
                label={t("inbox.filter.account")}
                options={[{ label: t("inbox.filter.all"), value: "" }, ...accounts.map((a) => ({ label: a.displayName, value: a.id }))]}
                value={filters.account ?? ""}
                onChange={(value) => update("account", value || null)}
              />
            ) : null}
            {tags.length ? (
              <Select
                label={t("inbox.filter.tag")}
                options={[{ label: t("inbox.filter.all"), value: "" }, ...tags.map((tag) => ({ label: tag.name, value: tag.id }))]}
                value={filters.tag ?? ""}
                onChange={(value) => update("tag", value || null)}
              />
            ) : null}
          </InlineStack>
        </BlockStack>
      </Box>
      {conversations.length === 0 ? (
        filters.unread || filters.mine || filters.account || filters.tag || filters.q ? (
          <Box padding="400">
            <Text as="p" tone="subdued">
              {t("inbox.noMatch")}
            </Text>
          </Box>
        ) : (
          <EmptyState heading={t("inbox.empty.heading")} action={{ content: t("inbox.empty.action"), url: "/app/tracking-links" }} image={EMPTY_IMAGE}>
            <p>{t("inbox.empty.body")}</p>
            <p>{t("inbox.empty.next")}</p>
          </EmptyState>
        )
      ) : (
        <ul className="inbox-list" data-testid="conversation-list">
          {conversations.map((c) => (
            <li key={c.friendId} className={c.friendId === selected ? "inbox-row inbox-row-selected" : "inbox-row"}>
              <Link to={linkTo(c.friendId)} prefetch="none" className="inbox-row-link" data-friend={c.friendId}>
                <InlineStack gap="300" wrap={false} blockAlign="center">
                  <Avatar size="md" source={c.pictureUrl ?? undefined} name={c.displayName ?? ""} />
                  <div style={{ minWidth: 0, flex: 1 }}>
                    <InlineStack align="space-between" wrap={false} gap="200">
                      <div style={{ minWidth: 0, flex: 1 }}>
                        <Truncated text={c.displayName ?? "—"} bold={c.unread > 0} maxWidth="100%" />
                      </div>
                      <Text as="span" tone="subdued" variant="bodySm">
                        {shortTime(c.lastMessageAt, timeZone)}
                      </Text>
                    </InlineStack>
                    <InlineStack align="space-between" wrap={false} gap="200">
                      <div style={{ minWidth: 0, flex: 1, color: "var(--p-color-text-secondary)" }}>
                        {c.lastKind === "text" ? (
                          <Truncated text={preview(c)} maxWidth="100%" />
                        ) : (
                          <Text as="span" tone="subdued" truncate>
                            {preview(c)}
                          </Text>
                        )}
                      </div>
                      {c.unread ? <Badge tone="attention">{t("inbox.unread", { count: c.unread })}</Badge> : null}
                    </InlineStack>
                    {accounts.length > 1 || c.assigneeName ? (
                      <Text as="span" tone="subdued" variant="bodySm">
                        {[accounts.length > 1 ? c.accountName : null, c.assigneeName].filter(Boolean).join(" · ")}
                      </Text>
                    ) : null}
                  </div>
                </InlineStack>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {nextCursor ? (
        <Box padding="300">
          <Button onClick={() => update("before", nextCursor)}>{t("inbox.more")}</Button>
        </Box>
      ) : null}
    </Card>
  );
}

export function shortTime(iso: string, timeZone: string) {
  const date = new Date(iso);
  const today = dateTimeFormat("en-CA", { timeZone }).format(new Date());
  const day = dateTimeFormat("en-CA", { timeZone }).format(date);
  const options: Intl.DateTimeFormatOptions = day === today ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } : { month: "numeric", day: "numeric" };
  return dateTimeFormat("ja-JP", { timeZone, ...options }).format(date);
}
