// The friend page: the conversation with a composer, the profile, friendship, customer, tags, scenarios, tester
// and staff block. Saved changes are App Bridge toasts; errors stay critical banners.
import { LineErrorOriginal, useLineError } from "../components/line-error-text";
import type { SerializeFrom } from "@remix-run/node";
import { Form, useNavigation, useSubmit } from "@remix-run/react";
import {
  Avatar,
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  Divider,
  InlineStack,
  Layout,
  Page,
  Select,
  Tag,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { ConfirmModal } from "../components/confirm-modal";
import { Fact } from "../components/fact";
import { SectionCard } from "../components/section-card";
import { useToast } from "../components/toast";
import { CustomerCard } from "../customers/customer-card";
import { FriendAnswers } from "../forms/pages";
import { isMessageKey, useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { FriendMenuLine } from "../rich-menus/friend-menu";
import { FriendRuns } from "../scenarios/friend-runs";
import { formatDateTime, initial } from "../i18n/format";
import type { FriendActionData, FriendPageData } from "./friend-page.server";

type LoaderData = SerializeFrom<FriendPageData>;
type ThreadMessage = LoaderData["friend"]["messages"][number];

const TOASTS: Record<string, MessageKey> = {
  addTag: "friends.toast.tagAdded",
  removeTag: "friends.toast.tagRemoved",
  block: "friends.toast.blocked",
  unblock: "friends.toast.unblocked",
  tester: "friends.toast.tester",
  refreshProfile: "friends.toast.profile",
};

const STATUS_TONES = { following: "success", blocked: "critical", unknown: undefined } as const;
// LINE's limit for one text message; chat.server.ts enforces it (its exports do not reach the browser bundle).
const TEXT_MAX = 5000;

const isKey = isMessageKey;

/** The dictionary's words for a stored value (status, source, kind…), or the value itself when it has none. */
function useLabel() {
  const t = useT();
  return (prefix: string, value: string | null) => {
    if (value === null) return "—";
    const key = `${prefix}.${value}`;
    return isKey(key) ? t(key) : value;
  };
}

export function FriendPage(props: { data: LoaderData; result?: FriendActionData }) {
  const { friend, reply, tags, timeZone, scenarioRuns, customer, formAnswers } = props.data;
  const { result } = props;
  const t = useT();
  const label = useLabel();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [confirmBlock, setConfirmBlock] = useState(false);
  const busy = (intent: string) => navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  const name = friend.displayName ?? t("friends.unnamed");
  const formError = result && !result.ok ? (result.errors?.form ?? result.errors?.tagId ?? result.errors?.intent) : undefined;

  const toast = useToast();
  useEffect(() => {
    if (!result?.ok) return;
    if (result.intent === "block" || result.intent === "unblock") setConfirmBlock(false);
    const saved = TOASTS[result.intent];
    if (saved) toast(t(saved));
    // The answer is what matters; t and toast are stable per page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [result]);

  return (
    <Page
      backAction={{ content: t("friends.title"), url: "/app/friends" }}
      title={name}
      titleMetadata={
        <InlineStack gap="100">
          <Badge tone={STATUS_TONES[friend.followStatus as keyof typeof STATUS_TONES]}>
            {label("friends.status", friend.followStatus)}
          </Badge>
          {friend.operatorBlockedAt ? <Badge tone="warning">{t("friends.operatorBlocked.badge")}</Badge> : null}
        </InlineStack>
      }
      secondaryActions={[
        {
          content: t("friends.profile.refresh"),
          loading: busy("refreshProfile"),
          onAction: () => submit({ intent: "refreshProfile" }, { method: "post" }),
        },
      ]}
    >
      <Layout>
        {formError ? (
          <Layout.Section>
            <Banner tone="critical" title={t("friends.error.title")}>
              <BlockStack gap="100">
                <p>{isKey(formError) ? t(formError) : formError}</p>
                <LineErrorOriginal text={result?.detail} />
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Thread messages={friend.messages} timeZone={timeZone} />
          <Box paddingBlockStart="400">
            <Composer reply={reply} result={result} sending={busy("send")} timeZone={timeZone} />
          </Box>
          <Box paddingBlockStart="400"><FriendAnswers answers={formAnswers} /></Box>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <InlineStack gap="300" blockAlign="center" wrap={false}>
                  <Avatar size="xl" source={friend.pictureUrl ?? undefined} name={name} initials={initial(friend.displayName)} />
                  <BlockStack gap="050">
                    <Text as="h2" variant="headingMd">
                      {name}
                    </Text>
                    {friend.statusMessage ? (
                      <Text as="p" tone="subdued">
                        {friend.statusMessage}
                      </Text>
                    ) : null}
                  </BlockStack>
                </InlineStack>
                <Divider />
                <Fact label={t("friends.profile.language")} value={label("friends.language", friend.language)} />
                <Fact label={t("friends.profile.account")} value={friend.lineAccount.displayName} userData />
                <Fact label={t("friends.profile.source")} value={label("friends.source", friend.source)} />
                <FriendMenuLine />
                {!friend.displayName ? (
                  <BlockStack gap="100">
                    <InlineStack>
                      <Badge tone={friend.profileUnavailableAt ? "warning" : "attention"}>
                        {friend.profileUnavailableAt ? t("friends.noProfile.unavailable") : t("friends.noProfile.badge")}
                      </Badge>
                    </InlineStack>
                    <Text as="p" tone="subdued">
                      {friend.profileUnavailableAt ? t("friends.noProfile.unavailableHelp") : t("friends.profile.noProfile")}
                    </Text>
                  </BlockStack>
                ) : null}
              </BlockStack>
            </Card>
            <SectionCard title={t("friends.follow.heading")} gap="200">
              <Fact label={t("friends.follow.status")} value={label("friends.status", friend.followStatus)} />
              <Fact label={t("friends.follow.followedAt")} value={formatDateTime(friend.followedAt, timeZone)} />
              {friend.unfollowedAt ? <Fact label={t("friends.follow.unfollowedAt")} value={formatDateTime(friend.unfollowedAt, timeZone)} /> : null}
              <Fact label={t("friends.follow.addedAt")} value={formatDateTime(friend.createdAt, timeZone)} />
            </SectionCard>
            <CustomerCard customer={customer} timeZone={timeZone} />
            <TagsCard friendTags={friend.tags} allTags={tags} busy={busy("addTag") || busy("removeTag")} />
            <FriendRuns friendId={friend.id} section={scenarioRuns} timeZone={timeZone} />
            <SectionCard title={t("friends.tester")} gap="200">
              <Checkbox
                label={t("friends.tester")}
                helpText={t("friends.testerHelp")}
                checked={Boolean(friend.testerAt)}
                disabled={busy("tester")}
                onChange={(on) => submit({ intent: "tester", on: on ? "1" : "0" }, { method: "post" })}
              />
            </SectionCard>
            <SectionCard title={t("friends.operatorBlocked.heading")} gap="200">
              <Text as="p" tone="subdued">
                {friend.operatorBlockedAt
                  ? t("friends.operatorBlocked.since", { at: formatDateTime(friend.operatorBlockedAt, timeZone) })
                  : t("friends.operatorBlocked.explain")}
              </Text>
              <InlineStack>
                {friend.operatorBlockedAt ? (
                  <Button loading={busy("unblock")} onClick={() => submit({ intent: "unblock" }, { method: "post" })}>
                    {t("friends.operatorBlocked.unblock")}
                  </Button>
                ) : (
                  <Button tone="critical" onClick={() => setConfirmBlock(true)}>
                    {t("friends.operatorBlocked.block")}
                  </Button>
                )}
              </InlineStack>
            </SectionCard>
          </BlockStack>
        </Layout.Section>
      </Layout>
      <ConfirmModal
        open={confirmBlock}
        title={t("friends.operatorBlocked.confirmTitle", { name })}
        confirm={t("friends.operatorBlocked.block")}
        cancel={t("friends.cancel")}
        loading={busy("block")}
        onConfirm={() => submit({ intent: "block" }, { method: "post" })}
        onClose={() => setConfirmBlock(false)}
      >
        <Text as="p">{t("friends.operatorBlocked.confirmBody")}</Text>
      </ConfirmModal>
    </Page>
  );
}


function Thread({ messages, timeZone }: { messages: ThreadMessage[]; timeZone: string }) {
  const t = useT();
  const lineError = useLineError();
  const label = useLabel();
  const submit = useSubmit();
  return (
    <SectionCard title={t("friends.chat.heading")}>
      {messages.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("friends.chat.empty")}
        </Text>
      ) : null}
      {messages.map((message) => {
        const out = message.direction === "out";
        const body = message.kind === "text" ? message.text : label("friends.chat.kind", message.kind);
        return (
          <InlineStack key={message.id} align={out ? "end" : "start"}>
            <div style={{ maxWidth: "75%" }} data-direction={message.direction}>
              <BlockStack gap="100" inlineAlign={out ? "end" : "start"}>
                <Box
                  background={message.status === "failed" ? "bg-surface-critical" : out ? "bg-fill-success-secondary" : "bg-surface-secondary"}
                  padding="300"
                  borderRadius="300"
                >
                  <Text as="p" breakWord>
                    <span style={{ whiteSpace: "pre-wrap" }}>{body}</span>
                  </Text>
                </Box>
                <Text as="span" variant="bodySm" tone="subdued">
                  {[formatDateTime(message.createdAt, timeZone), out ? byline(message, t) : null].filter(Boolean).join(" · ")}
                </Text>
                {message.status === "failed" ? (
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="span" variant="bodySm" tone="critical">
                      {t("friends.chat.failed", { error: lineError(message.error).text })}
                    </Text>
                    {message.sentVia === "push" ? (
                      <Button variant="plain" onClick={() => submit({ intent: "retry", messageId: message.id }, { method: "post" })}>
                        {t("friends.chat.retry")}
                      </Button>
                    ) : null}
                  </InlineStack>
                ) : null}
              </BlockStack>
            </div>
          </InlineStack>
        );
      })}
    </SectionCard>
  );
}

function byline(message: ThreadMessage, t: ReturnType<typeof useT>) {
  const who = message.sentBy?.startsWith("staff")
    ? t("friends.chat.by.staff")
    : message.sentBy === "greeting"
      ? t("friends.chat.by.greeting")
      : message.sentBy?.startsWith("auto-reply")
        ? t("friends.chat.by.autoReply")
        : null;
  const via = message.sentVia === "reply" ? t("friends.chat.via.reply") : message.sentVia === "push" ? t("friends.chat.via.push") : null;
  return [who, via].filter(Boolean).join(" · ");
}

function Composer(props: { reply: LoaderData["reply"]; result?: FriendActionData; sending: boolean; timeZone: string }) {
  const { reply, result, sending } = props;
  const t = useT();
  const label = useLabel();
  const [text, setText] = useState("");
  // A reply token lasts about a minute; when it runs out while the page is open, say that it will be a push.
  const [mode, setMode] = useState(reply.mode);
  useEffect(() => {
    setMode(reply.mode);
    if (reply.mode !== "reply") return;
    const timer = setTimeout(() => setMode("push"), Math.max(0, new Date(reply.until).getTime() - Date.now()));
    return () => clearTimeout(timer);
  }, [reply]);
  useEffect(() => {
    if (result?.ok && result.intent === "send") setText("");
  }, [result]);

  if (reply.mode === "blocked") {
    return (
      <Banner tone="warning" title={t("friends.chat.blockedTitle")}>
        <p>{label("friends.chat.blocked", reply.reason)}</p>
      </Banner>
    );
  }
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="send" />
        <BlockStack gap="300">
          <TextField
            label={t("friends.chat.label")}
            name="text"
            value={text}
            onChange={setText}
            multiline={3}
            maxLength={TEXT_MAX}
            showCharacterCount
            autoComplete="off"
            error={result?.errors?.text && isKey(result.errors.text) ? t(result.errors.text) : result?.errors?.text}
          />
          {result?.ok && result.sentVia ? (
            <Text as="p" tone="success" variant="bodySm">
              {result.sentVia === "reply" ? t("friends.chat.sent.reply") : t("friends.chat.sent.push")}
            </Text>
          ) : null}
          <InlineStack align="space-between" blockAlign="center" gap="400" wrap={false}>
            <BlockStack gap="100">
              <InlineStack>
                <Badge tone={mode === "reply" ? "success" : "attention"}>
                  {mode === "reply" ? t("friends.chat.mode.reply") : t("friends.chat.mode.push")}
                </Badge>
              </InlineStack>
              <Text as="p" tone="subdued" variant="bodySm">
                {reply.mode === "reply" && mode === "reply"
                  ? t("friends.chat.mode.replyHelp", { time: formatDateTime(reply.until, props.timeZone).slice(-5) })
                  : t("friends.chat.mode.pushHelp")}
              </Text>
            </BlockStack>
            <div style={{ flexShrink: 0 }}>
              <Button submit variant="primary" loading={sending} disabled={text.trim() === ""}>
                {t("friends.chat.send")}
              </Button>
            </div>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

function TagsCard(props: {
  friendTags: LoaderData["friend"]["tags"];
  allTags: LoaderData["tags"];
  busy: boolean;
}) {
  const t = useT();
  const submit = useSubmit();
  const has = new Set(props.friendTags.map((tag) => tag.id));
  const addable = props.allTags.filter((tag) => !has.has(tag.id));
  const [choice, setChoice] = useState("");
  return (
    <SectionCard title={t("friends.tags.heading")}>
      {props.friendTags.length ? (
        <InlineStack gap="200">
          {props.friendTags.map((tag) => (
            <Tag key={tag.id} onRemove={() => submit({ intent: "removeTag", tagId: tag.id }, { method: "post" })}>
              <span translate="no">{tag.name}</span>
            </Tag>
          ))}
        </InlineStack>
      ) : (
        <Text as="p" tone="subdued">
          {t("friends.tags.none")}
        </Text>
      )}
      {addable.length ? (
        <InlineStack gap="200" blockAlign="end" wrap={false}>
          <div style={{ flex: 1 }}>
            <Select
              label={t("friends.tags.add")}
              options={[{ label: t("friends.tags.choose"), value: "" }, ...addable.map((tag) => ({ label: tag.name, value: tag.id }))]}
              value={choice}
              onChange={setChoice}
            />
          </div>
          <Button
            disabled={!choice}
            loading={props.busy}
            onClick={() => {
              submit({ intent: "addTag", tagId: choice }, { method: "post" });
              setChoice("");
            }}
          >
            {t("friends.tags.addButton")}
          </Button>
        </InlineStack>
      ) : props.allTags.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("friends.tags.noneInShop")}
        </Text>
      ) : null}
    </SectionCard>
  );
}


/** A friend that is not the shop's (or was deleted), with the way back. */
export function FriendNotFound() {
  const t = useT();
  return (
    <Page backAction={{ content: t("friends.title"), url: "/app/friends" }} title={t("friends.notFound.heading")}>
      <Banner tone="warning" action={{ content: t("friends.notFound.back"), url: "/app/friends" }}>
        <p>{t("friends.notFound.body")}</p>
      </Banner>
    </Page>
  );
}
