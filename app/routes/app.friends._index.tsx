import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useActionData, useLoaderData, useLocation, useNavigate, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import {
  Avatar,
  Badge,
  Banner,
  BlockStack,
  Card,
  ChoiceList,
  EmptySearchResult,
  EmptyState,
  Filters,
  IndexTable,
  InlineStack,
  Page,
  Pagination,
  Text,
  type AppliedFilterInterface,
  type FilterInterface,
} from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { FollowerImportBanners } from "../components/follower-import-banners";
import { CUSTOMER_COLUMNS, CustomerCells, SortSelect } from "../customers/friend-list-parts";
import { FriendQueryError, listFriends, type FriendListItem } from "../friends/friends.server";
import { latestImports, startFollowerImport } from "../friends/follower-import.server";
import { isMessageKey, useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { listAccounts } from "../line/accounts.server";
import { SegmentBanner } from "../segments/segment-banner";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";
import { listTags } from "../tags/tags.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [shop, tags, accounts] = await Promise.all([ensureShop(session.shop), listTags(session.shop), listAccounts(session.shop)]);
  const connectedIds = accounts.filter((account) => account.status === "connected").map((account) => account.id);
  const context = {
    timeZone: shop.timeZone,
    tags,
    accounts: accounts.map(({ id, displayName, status }) => ({ id, displayName, status })),
    imports: await latestImports(session.shop, connectedIds),
  };
  try {
    const page = await listFriends(session.shop, new URL(request.url).searchParams);
    return json({ ...context, ...page, queryError: null });
  } catch (error) {
    if (!(error instanceof FriendQueryError)) throw error;
    const none: FriendListItem[] = [];
    return json({ ...context, friends: none, nextCursor: null, segment: null, sort: "newest" as const, queryError: error.message }, { status: error.status });
  }
};

const actionSchema = z.object({
  intent: z.literal("import", "friends.error.intent"),
  lineAccountId: z.string("friends.import.error.account").min(1, "friends.import.error.account"),
});

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    const errors = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? "form"), issue.message]));
    return json({ errors, importId: null }, { status: 422 });
  }
  // The import runs in the worker; the page follows it through the loader.
  const result = await startFollowerImport(session.shop, parsed.data.lineAccountId);
  if ("reason" in result) {
    return json({ errors: { form: result.reason }, importId: result.importId ?? null }, { status: START_STATUS[result.reason] ?? 422 });
  }
  return json({ errors: null, importId: result.importId }, { status: 202 });
};

const START_STATUS: Record<string, number> = {
  "friends.import.error.notFound": 404,
  "friends.import.error.running": 409,
  "friends.import.error.queue": 503,
};

const FILTER_KEYS = ["q", "status", "tagId", "linked", "operatorBlocked", "lineAccountId"] as const;
const STATUS_TONES = { following: "success", blocked: "critical", unknown: undefined } as const;
const isKey = isMessageKey;

function addedOn(iso: string, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${part("year")}/${part("month")}/${part("day")}`;
}

export default function Friends() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const navigation = useNavigation();
  const submit = useSubmit();
  const connected = data.accounts.filter((account) => account.status === "connected");
  const filtering = [...FILTER_KEYS, "segment"].some((key) => searchParams.get(key));
  const loading = navigation.state === "loading";
  const statusLabel = (status: string) => (isKey(`friends.status.${status}`) ? t(`friends.status.${status}` as MessageKey) : status);

  // Filters live in the URL; the other parameters (shop, host, locale…) stay as they are.
  const go = (changes: Record<string, string | null>, state?: unknown) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!("after" in changes)) next.delete("after");
    // Typing a search replaces the history entry instead of adding one per pause.
    navigate(`?${next.toString()}`, { state, replace: "q" in changes && Object.keys(changes).length === 1 });
  };

  const [query, setQuery] = useState(searchParams.get("q") ?? "");
  const typing = useRef<ReturnType<typeof setTimeout>>();
  // Follow the URL (back button, "clear all") without undoing what is being typed.
  useEffect(() => {
    const q = searchParams.get("q") ?? "";
    setQuery((current) => (current.trim() === q ? current : q));
  }, [searchParams]);
  useEffect(() => () => clearTimeout(typing.current), []);
  const onQueryChange = (value: string) => {
    setQuery(value);
    clearTimeout(typing.current);
    typing.current = setTimeout(() => go({ q: value.trim() || null }), 400);
  };

  const choice = (key: (typeof FILTER_KEYS)[number], label: string, choices: { label: string; value: string }[]): FilterInterface => ({
    key,
    label,
    pinned: true,
    filter: (
      <ChoiceList
        title={label}
        titleHidden
        choices={choices}
        selected={searchParams.get(key) ? [searchParams.get(key) as string] : []}
        onChange={([value]) => go({ [key]: value ?? null })}
      />
    ),
  });
  const yesNo = [
    { label: t("friends.filter.yes"), value: "true" },
    { label: t("friends.filter.no"), value: "false" },
  ];
  const filters: FilterInterface[] = [
    choice("status", t("friends.filter.status"), [
      { label: t("friends.status.following"), value: "following" },
      { label: t("friends.status.blocked"), value: "blocked" },
      { label: t("friends.status.unknown"), value: "unknown" },
    ]),
    choice("tagId", t("friends.filter.tag"), data.tags.map((tag) => ({ label: tag.name, value: tag.id }))),
    choice("linked", t("friends.filter.linked"), yesNo),
    choice("operatorBlocked", t("friends.filter.operatorBlocked"), yesNo),
    ...(data.accounts.length > 1
      ? [choice("lineAccountId", t("friends.filter.account"), data.accounts.map((a) => ({ label: a.displayName, value: a.id })))]
      : []),
  ];
  const labelOf = (key: string, value: string): string => {
    if (key === "status") return `${t("friends.filter.status")}: ${statusLabel(value)}`;
    if (key === "tagId") return `${t("friends.filter.tag")}: ${data.tags.find((tag) => tag.id === value)?.name ?? "?"}`;
    if (key === "lineAccountId") return `${t("friends.filter.account")}: ${data.accounts.find((a) => a.id === value)?.displayName ?? "?"}`;
    const yes = value === "true" ? t("friends.filter.yes") : t("friends.filter.no");
    return `${t(key === "linked" ? "friends.filter.linked" : "friends.filter.operatorBlocked")}: ${yes}`;
  };
  const appliedFilters: AppliedFilterInterface[] = FILTER_KEYS.filter((key) => key !== "q" && searchParams.get(key)).map((key) => ({
    key,
    label: labelOf(key, searchParams.get(key) as string),
    onRemove: () => go({ [key]: null }),
  }));

  // "Previous" goes back through the cursors this visit followed; a page opened by link goes to the first page.
  const trail = ((location.state as { trail?: string[] } | null)?.trail ?? []) as string[];
  const previous = () => {
    const back = trail.at(-1);
    if (back !== undefined) go({ after: back || null }, { trail: trail.slice(0, -1) });
    else go({ after: null });
  };

  const importAction = (account: { id: string; displayName: string }) => ({
    content: connected.length > 1 ? t("friends.import.buttonFor", { account: account.displayName }) : t("friends.import.button"),
    loading:
      (navigation.state === "submitting" && navigation.formData?.get("lineAccountId") === account.id) ||
      data.imports.some((run) => run.lineAccountId === account.id && run.status === "running"),
    onAction: () => submit({ intent: "import", lineAccountId: account.id }, { method: "post" }),
  });

  const rows = data.friends.map((friend, index) => {
    const name = friend.displayName ?? t("friends.unnamed");
    // No initial for a friend whose name LINE has not sent yet: the avatar shows a person instead.
    const initials = friend.displayName?.trim().slice(0, 1) || undefined;
    return (
      <IndexTable.Row id={friend.id} key={friend.id} position={index}>
        <IndexTable.Cell>
          <InlineStack gap="300" blockAlign="center" wrap={false}>
            <Avatar size="md" source={friend.pictureUrl ?? undefined} name={name} initials={initials} />
            <RemixLink to={`/app/friends/${friend.id}`} style={{ color: "inherit", textDecoration: "none" }}>
              <Text as="span" variant="bodyMd" fontWeight="semibold">
                {name}
              </Text>
            </RemixLink>
          </InlineStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <InlineStack gap="100">
            <Badge tone={STATUS_TONES[friend.followStatus as keyof typeof STATUS_TONES]}>
              {statusLabel(friend.followStatus)}
            </Badge>
            {friend.operatorBlockedAt ? <Badge tone="warning">{t("friends.operatorBlocked.badge")}</Badge> : null}
          </InlineStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <InlineStack gap="100">
            {friend.tags.map(({ tag }) => (
              <Badge key={tag.id} tone={tag.color as "info"}>
                {tag.name}
              </Badge>
            ))}
          </InlineStack>
        </IndexTable.Cell>
        <CustomerCells customerId={friend.shopifyCustomerId} customer={friend.customer} timeZone={data.timeZone} />
        <IndexTable.Cell>{friend.lineAccount.displayName}</IndexTable.Cell>
        <IndexTable.Cell>{addedOn(friend.createdAt, data.timeZone)}</IndexTable.Cell>
      </IndexTable.Row>
    );
  });

  // An import that was created and then failed (the queue was down) shows as an import banner instead, and
  // "already running" goes once nothing runs any more.
  const refused = actionData?.errors && !actionData.importId ? Object.values(actionData.errors)[0] : null;
  const importError =
    refused === "friends.import.error.running" && !data.imports.some((run) => run.status === "running") ? null : refused;
  return (
    <Page
      title={t("friends.title")}
      secondaryActions={data.friends.length > 0 || filtering ? connected.map(importAction) : undefined}
    >
      <BlockStack gap="400">
        {data.queryError ? (
          <Banner tone="critical" title={t("friends.queryError.title")} action={{ content: t("friends.queryError.reset"), url: "/app/friends" }}>
            <p>{data.queryError}</p>
          </Banner>
        ) : null}
        {importError ? (
          <Banner tone="critical" title={t("friends.import.failedTitle")}>
            <p>{isKey(importError) ? t(importError) : importError}</p>
          </Banner>
        ) : null}
        {data.segment ? <SegmentBanner segment={data.segment} /> : null}
        <FollowerImportBanners imports={data.imports} accounts={data.accounts} />
        {data.friends.length === 0 && !filtering && !searchParams.get("after") && !data.queryError ? (
          <Card>
            <EmptyState
              heading={t("friends.empty.heading")}
              image={EMPTY_IMAGE}
              action={connected[0] ? importAction(connected[0]) : { content: t("friends.empty.connect"), url: "/app/accounts" }}
              secondaryAction={connected[1] ? importAction(connected[1]) : undefined}
            >
              <BlockStack gap="200">
                <p>{t("friends.empty.body")}</p>
                <p>{connected.length ? t("friends.empty.importHelp") : t("friends.empty.noAccount")}</p>
              </BlockStack>
            </EmptyState>
          </Card>
        ) : (
          <Card padding="0">
            <Filters
              queryValue={query}
              queryPlaceholder={t("friends.search.placeholder")}
              filters={filters}
              appliedFilters={appliedFilters}
              onQueryChange={onQueryChange}
              onQueryClear={() => onQueryChange("")}
              onClearAll={() => go(Object.fromEntries(FILTER_KEYS.map((key) => [key, null])))}
              loading={loading}
            />
            <SortSelect value={data.sort} onChange={(sort) => go({ sort: sort === "newest" ? null : sort })} />
            <IndexTable
              resourceName={{ singular: t("friends.resource.singular"), plural: t("friends.resource.plural") }}
              itemCount={data.friends.length}
              selectable={false}
              loading={loading}
              emptyState={<EmptySearchResult title={t("friends.noMatch.title")} description={t("friends.noMatch.body")} withIllustration />}
              headings={[
                { title: t("friends.column.name") },
                { title: t("friends.column.status") },
                { title: t("friends.column.tags") },
                { title: t("friends.column.customer") },
                ...CUSTOMER_COLUMNS.map((key) => ({ title: t(key) })),
                { title: t("friends.column.account") },
                { title: t("friends.column.added") },
              ]}
            >
              {rows}
            </IndexTable>
            {searchParams.get("after") || data.nextCursor ? (
              <div style={{ padding: "12px", display: "flex", justifyContent: "center" }}>
                <Pagination
                  hasPrevious={Boolean(searchParams.get("after"))}
                  onPrevious={previous}
                  hasNext={Boolean(data.nextCursor)}
                  onNext={() => data.nextCursor && go({ after: data.nextCursor }, { trail: [...trail, searchParams.get("after") ?? ""] })}
                  previousTooltip={t("friends.page.previous")}
                  nextTooltip={t("friends.page.next")}
                />
              </div>
            ) : null}
          </Card>
        )}
      </BlockStack>
    </Page>
  );
}

// Two people and a speech bubble, inline so the page needs nothing from a CDN.
const EMPTY_IMAGE = `data:image/svg+xml;utf8,${encodeURIComponent(
  `<svg xmlns="http://www.w3.org/2000/svg" width="226" height="160" viewBox="0 0 226 160"><circle cx="86" cy="64" r="26" fill="#d1e9d6"/><path d="M40 140c0-28 21-46 46-46s46 18 46 46z" fill="#d1e9d6"/><circle cx="140" cy="72" r="22" fill="#06c755" opacity=".75"/><path d="M102 140c0-24 17-39 38-39s38 15 38 39z" fill="#06c755" opacity=".75"/><rect x="150" y="14" width="62" height="40" rx="14" fill="#fff" stroke="#06c755" stroke-width="3"/><path d="M164 52l-6 14 18-14z" fill="#06c755"/><circle cx="168" cy="34" r="4" fill="#06c755"/><circle cx="181" cy="34" r="4" fill="#06c755"/><circle cx="194" cy="34" r="4" fill="#06c755"/></svg>`,
)}`;
