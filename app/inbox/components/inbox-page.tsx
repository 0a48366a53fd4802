// The inbox page: the conversation list beside the open thread (on a phone, one or the other), the thread's header
// with the assignee, the thread and the composer; saved replies below. New messages arrive by polling the loader.
import { Link, useFetcher, useRevalidator, useSearchParams } from "@remix-run/react";
import { Avatar, BlockStack, Box, Button, Card, InlineStack, Layout, Page, Select, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { useT } from "../../i18n/i18n";
import { CONTENT_KEEP_DAYS_SHOWN } from "../content-days";
import { InboxComposer } from "./composer";
import { ConversationList, type ConversationItem } from "./conversation-list";
import { SavedReplies } from "./saved-replies";
import { ThreadView, type ThreadItemView } from "./thread-view";
import type { StaffOption } from "../page.server";

export type InboxPageData = {
  filters: { unread: boolean; mine: boolean; account: string | null; tag: string | null; q: string };
  conversations: ConversationItem[];
  nextCursor: string | null;
  accounts: { id: string; displayName: string }[];
  tags: { id: string; name: string }[];
  savedReplies: { id: string; title: string; text: string }[];
  staff: StaffOption[];
  timeZone: string;
  thread: {
    friend: { id: string; displayName: string | null; pictureUrl: string | null; accountName: string };
    assigneeId: string | null;
    assigneeName: string | null;
    reply: { mode: "reply"; until: string } | { mode: "push" } | { mode: "blocked"; reason: string };
    items: ThreadItemView[];
    olderCursor: string | null;
  } | null;
};

const POLL_MS = 5_000;

export function InboxPage({ data }: { data: InboxPageData }) {
  const t = useT();
  const [params] = useSearchParams();
  const selected = params.get("c");
  const revalidator = useRevalidator();

  // New messages without a reload: the loader again every few seconds while the tab is visible.
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [revalidator]);

  const back = new URLSearchParams(params);
  back.delete("c");

  return (
    <Page title={t("inbox.title")} fullWidth>
      <style>{INBOX_CSS}</style>
      <Layout>
        <Layout.Section variant="oneThird">
          <div className={selected ? "inbox-pane-list inbox-has-thread" : "inbox-pane-list"}>
            <ConversationList
              conversations={data.conversations}
              nextCursor={data.nextCursor}
              selected={selected}
              accounts={data.accounts}
              tags={data.tags}
              filters={data.filters}
              timeZone={data.timeZone}
            />
          </div>
        </Layout.Section>
        <Layout.Section>
          {data.thread ? (
            <Card padding="0">
              <Box padding="300" borderBlockEndWidth="025" borderColor="border">
                <InlineStack align="space-between" blockAlign="center" gap="200">
                  <InlineStack gap="200" blockAlign="center" wrap={false}>
                    <span className="inbox-back">
                      <Link to={`?${back}`}>← {t("inbox.back")}</Link>
                    </span>
                    <Avatar size="sm" source={data.thread.friend.pictureUrl ?? undefined} name={data.thread.friend.displayName ?? ""} />
                    <BlockStack gap="0">
                      <Text as="h2" variant="headingMd">
                        {data.thread.friend.displayName ?? "—"}
                      </Text>
                      <Text as="span" tone="subdued" variant="bodySm">
                        {data.thread.friend.accountName}
                      </Text>
                    </BlockStack>
                  </InlineStack>
                  <InlineStack gap="200" blockAlign="center">
                    <Assignee friendId={data.thread.friend.id} value={data.thread.assigneeId} name={data.thread.assigneeName} staff={data.staff} />
                    <Button url={`/app/friends/${data.thread.friend.id}`} variant="plain">
                      {t("inbox.openFriend")}
                    </Button>
                  </InlineStack>
                </InlineStack>
              </Box>
              <ThreadView
                friendId={data.thread.friend.id}
                items={data.thread.items}
                olderCursor={data.thread.olderCursor}
                timeZone={data.timeZone}
                keepDays={CONTENT_KEEP_DAYS_SHOWN}
              />
              <Box padding="300" borderBlockStartWidth="025" borderColor="border">
                <InboxComposer friendId={data.thread.friend.id} reply={data.thread.reply} savedReplies={data.savedReplies} sender={data.thread.friend.accountName} />
              </Box>
            </Card>
          ) : (
            <div className="inbox-choose">
              <Card>
                <Text as="p" tone="subdued">
                  {data.conversations.length ? t("inbox.choose") : t("inbox.empty.heading")}
                </Text>
              </Card>
            </div>
          )}
        </Layout.Section>
        <Layout.Section>
          <div className={selected ? "inbox-saved inbox-has-thread" : "inbox-saved"}>
            <SavedReplies replies={data.savedReplies} />
          </div>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Assignee(props: { friendId: string; value: string | null; name: string | null; staff: StaffOption[] }) {
  const t = useT();
  const fetcher = useFetcher();
  const options = [
    { label: t("inbox.assign.nobody"), value: "" },
    ...props.staff.map((s) => ({ label: s.labelKey ? t(s.labelKey) : (s.label ?? s.value), value: s.value })),
  ];
  if (props.value && !options.some((o) => o.value === props.value)) options.push({ label: props.name ?? props.value, value: props.value });
  const pending = fetcher.formData?.get("assignee");
  return (
    <Select
      label={t("inbox.assign.label")}
      labelInline
      options={options}
      value={typeof pending === "string" ? pending : (props.value ?? "")}
      onChange={(assignee) => fetcher.submit({ intent: "assign", friendId: props.friendId, assignee }, { method: "post" })}
    />
  );
}

// The thread scrolls inside a fixed-height box sized to the window, so the composer stays in view; on a phone the
// list and the open thread take turns.
const INBOX_CSS = `
.inbox-list { list-style: none; margin: 0; padding: 0; max-height: calc(100vh - 260px); overflow-y: auto; }
.inbox-row { border-top: 1px solid var(--p-color-border-secondary); }
.inbox-row-selected { background: var(--p-color-bg-surface-selected); }
.inbox-row-link { display: block; padding: 10px 12px; color: inherit; text-decoration: none; }
.inbox-row-link:hover { background: var(--p-color-bg-surface-hover); }
.inbox-scroll { height: calc(100vh - 360px); min-height: 220px; overflow-y: auto; padding: 12px; background: var(--p-color-bg-surface-secondary); overscroll-behavior: contain; }
.inbox-bubble-row { display: flex; }
.inbox-out { justify-content: flex-end; }
.inbox-bubble { max-width: 75%; padding: 8px 12px; border-radius: 14px; background: var(--p-color-bg-surface); box-shadow: var(--p-shadow-100); }
.inbox-bubble-out { background: #c7f0c2; }
.inbox-bubble-failed { background: var(--p-color-bg-surface-critical); }
.inbox-text { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.inbox-meta { margin-top: 4px; font-size: 11px; color: var(--p-color-text-secondary); }
.inbox-image { display: block; max-width: 220px; max-height: 220px; border-radius: 8px; }
.inbox-sticker { display: block; width: 120px; height: 120px; object-fit: contain; }
.inbox-bubble:has(.inbox-sticker) { background: transparent; box-shadow: none; }
.inbox-delivery { margin: 4px auto; max-width: 85%; padding: 8px 12px; border: 1px dashed var(--p-color-border); border-radius: 10px; background: var(--p-color-bg-surface); }
.inbox-back { display: none; }
@media (max-width: 767px) {
  .inbox-has-thread { display: none; }
  .inbox-back { display: inline; white-space: nowrap; }
  .inbox-scroll { height: calc(100vh - 400px); }
  .inbox-choose { display: none; }
}
`;
