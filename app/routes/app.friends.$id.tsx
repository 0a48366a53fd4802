import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, isRouteErrorResponse, useActionData, useLoaderData, useNavigation, useRouteError, useSubmit } from "@remix-run/react";
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
import { boundary } from "@shopify/shopify-app-remix/server";
import { useEffect, useState } from "react";
import { setTester } from "../broadcasts/broadcasts.server";
import { replyModeFor, retryStaffMessage, sendStaffMessage } from "../chat/chat.server";
import { friendActionSchema as actionSchema } from "../friends/friend-actions.server";
import { blockFriend, friendExists, getFriend, unblockFriend } from "../friends/friends.server";
import { refreshProfile } from "../friends/import.server";
import { FriendMenuLine } from "../rich-menus/friend-menu";
import { menuOfFriend } from "../rich-menus/rich-menus.server";
import { ConfirmModal } from "../components/confirm-modal";
import { CustomerCard } from "../customers/customer-card";
import { customerView } from "../customers/customer-view.server";
import { SectionCard } from "../components/section-card";
import { isMessageKey, useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { FriendRuns } from "../scenarios/friend-runs";
import { friendRunsSection } from "../scenarios/pages.server";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";
import { addTagToFriend, listTags, removeTagFromFriend } from "../tags/tags.server";
import { FriendAnswers } from "../forms/pages";
import { friendAnswers } from "../forms/pages.server";
import { Fact } from "../components/fact";
import { formatDateTime, initial } from "../i18n/format";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [friend, shop, tags] = await Promise.all([
    getFriend(session.shop, params.id ?? ""),
    ensureShop(session.shop),
    listTags(session.shop),
  ]);
  if (!friend) throw json({ error: "friends.error.notFound" }, { status: 404 });
  const { lineUserId: _private, ...shown } = friend;
  return json({
    friend: shown,
    reply: await replyModeFor(friend),
    tags,
    timeZone: shop.timeZone,
    scenarioRuns: await friendRunsSection(session.shop, friend.id),
    customer: await customerView(session.shop, friend.shopifyCustomerId),
    richMenu: await menuOfFriend(session.shop, friend.id),
    formAnswers: await friendAnswers(session.shop, friend.id),
  });
};

type ActionData = { ok: boolean; intent: string; errors?: Record<string, string>; detail?: string; sentVia?: string };

function answer(data: ActionData, status = 200) {
  return json(data, { status });
}

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const friendId = params.id ?? "";
  if (!(await friendExists(session.shop, friendId))) throw json({ error: "friends.error.notFound" }, { status: 404 });
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    const errors = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? "intent"), issue.message]));
    return answer({ ok: false, intent: "invalid", errors }, 422);
  }
  const input = parsed.data;
  const { shop } = session;
  switch (input.intent) {
    case "send":
    case "retry": {
      const staff = sessionToken?.sub ? `staff:${sessionToken.sub}` : "staff";
      const result =
        input.intent === "send"
          ? await sendStaffMessage(shop, friendId, input.text, staff)
          : await retryStaffMessage(shop, input.messageId);
      if (result.ok) return answer({ ok: true, intent: input.intent, sentVia: result.sentVia });
      const field = result.reason.startsWith("friends.chat.error.empty") || result.reason.startsWith("friends.chat.error.tooLong") ? "text" : "form";
      const status = result.reason === "friends.error.notFound" ? 404 : 422;
      return answer({ ok: false, intent: input.intent, errors: { [field]: result.reason }, detail: result.detail }, status);
    }
    case "block":
    case "unblock":
      await (input.intent === "block" ? blockFriend(shop, friendId) : unblockFriend(shop, friendId));
      return answer({ ok: true, intent: input.intent });
    case "addTag":
    case "removeTag": {
      const done = await (input.intent === "addTag"
        ? addTagToFriend(shop, friendId, input.tagId)
        : removeTagFromFriend(shop, friendId, input.tagId));
      return done
        ? answer({ ok: true, intent: input.intent })
        : answer({ ok: false, intent: input.intent, errors: { tagId: "friends.tags.error.notFound" } }, 422);
    }
    case "tester":
      return (await setTester(shop, friendId, input.on === "1"))
        ? answer({ ok: true, intent: input.intent })
        : answer({ ok: false, intent: input.intent, errors: { form: "friends.error.notFound" } }, 404);
    case "refreshProfile": {
      const result = await refreshProfile(shop, friendId);
      return "ok" in result
        ? answer({ ok: true, intent: input.intent })
        : answer({ ok: false, intent: input.intent, errors: { form: result.reason }, detail: result.detail }, 422);
    }
  }
};

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type ThreadMessage = LoaderData["friend"]["messages"][number];

// One cached formatter for every row (app/i18n/format.ts), in the shop's time zone on the server and in the browser.
const dateTime = formatDateTime;

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

export default function FriendPage() {
  const { friend, reply, tags, timeZone, scenarioRuns, customer, formAnswers } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const t = useT();
  const label = useLabel();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [confirmBlock, setConfirmBlock] = useState(false);
  const busy = (intent: string) => navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  const name = friend.displayName ?? t("friends.unnamed");
  const formError = result && !result.ok ? (result.errors?.form ?? result.errors?.tagId ?? result.errors?.intent) : undefined;

  useEffect(() => {
    if (result?.ok && (result.intent === "block" || result.intent === "unblock")) setConfirmBlock(false);
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
        {result?.ok && result.intent === "refreshProfile" ? (
          <Layout.Section>
            <Banner tone="success">
              <p>{t("friends.profile.refreshed")}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {formError ? (
          <Layout.Section>
            <Banner tone="critical" title={t("friends.error.title")}>
              <BlockStack gap="100">
                <p>{isKey(formError) ? t(formError) : formError}</p>
                {result?.detail ? (
                  <Text as="p" tone="subdued">
                    {t("friends.error.lineSaid", { detail: result.detail })}
                  </Text>
                ) : null}
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Thread messages={friend.messages} timeZone={timeZone} />
          <Box paddingBlockStart="400">
            <Composer reply={reply} result={result} sending={busy("send")} timeZone={timeZone} />
          </Box>
          <Box paddingBlockStart="400"><FriendAnswers answers={formAnswers} timeZone={timeZone} /></Box>
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
                <Fact label={t("friends.profile.account")} value={friend.lineAccount.displayName} />
                <Fact label={t("friends.profile.source")} value={label("friends.source", friend.source)} />
                <FriendMenuLine />
                {!friend.displayName ? (
                  <Text as="p" tone="subdued">
                    {t("friends.profile.noProfile")}
                  </Text>
                ) : null}
              </BlockStack>
            </Card>
            <SectionCard title={t("friends.follow.heading")} gap="200">
              <Fact label={t("friends.follow.status")} value={label("friends.status", friend.followStatus)} />
              <Fact label={t("friends.follow.followedAt")} value={dateTime(friend.followedAt, timeZone)} />
              {friend.unfollowedAt ? <Fact label={t("friends.follow.unfollowedAt")} value={dateTime(friend.unfollowedAt, timeZone)} /> : null}
              <Fact label={t("friends.follow.addedAt")} value={dateTime(friend.createdAt, timeZone)} />
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
                  ? t("friends.operatorBlocked.since", { at: dateTime(friend.operatorBlockedAt, timeZone) })
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
                  {[dateTime(message.createdAt, timeZone), out ? byline(message, t) : null].filter(Boolean).join(" · ")}
                </Text>
                {message.status === "failed" ? (
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="span" variant="bodySm" tone="critical">
                      {t("friends.chat.failed", { error: message.error ?? "" })}
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

function Composer(props: { reply: LoaderData["reply"]; result?: ActionData; sending: boolean; timeZone: string }) {
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
                  ? t("friends.chat.mode.replyHelp", { time: dateTime(reply.until, props.timeZone).slice(-5) })
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
              {tag.name}
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

export function ErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page backAction={{ content: t("friends.title"), url: "/app/friends" }} title={t("friends.notFound.heading")}>
        <Banner tone="warning" action={{ content: t("friends.notFound.back"), url: "/app/friends" }}>
          <p>{t("friends.notFound.body")}</p>
        </Banner>
      </Page>
    );
  }
  return boundary.error(error);
}
