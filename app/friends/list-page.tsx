// The friends list page: filters, the filter's total, the table (condensed on a phone), bulk actions on the
// selection or on every friend of the filter, follower imports and the profiles of imported followers.
import type { SerializeFrom } from "@remix-run/node";
import { useFetcher, useNavigation, useSubmit } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Card,
  EmptySearchResult,
  EmptyState,
  Filters,
  IndexTable,
  InlineStack,
  Page,
  Pagination,
  Text,
  useBreakpoints,
  useIndexResourceState,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { FollowerImportBanners } from "../components/follower-import-banners";
import { useToast } from "../components/toast";
import { SortSelect } from "../customers/friend-list-parts";
import { isMessageKey, useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { SegmentBanner } from "../segments/segment-banner";
import { BulkModal, csvHref, type BulkKind, type BulkSelection } from "./bulk-actions";
import { FriendRow } from "./friend-rows";
import { useFriendFilters } from "./list-filters";
import type { FriendsListData, ListActionAnswer } from "./list-page.server";

const isKey = isMessageKey;
const count = (n: number) => new Intl.NumberFormat("en-US").format(n);

/** "Fetch profiles" for imported followers who have none: queued, with a toast saying how many. */
function ProfilesBanner({ missing }: { missing: number }) {
  const t = useT();
  const toast = useToast();
  const fetcher = useFetcher<ListActionAnswer>();
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (answer && !answer.errors) toast(answer.friends ? t("friends.profiles.started", { count: count(answer.friends) }) : t("friends.profiles.nothing"));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [answer]);
  if (!missing) return null;
  const error = answer?.errors?.form;
  return (
    <Banner
      tone={error ? "critical" : "info"}
      title={t("friends.profiles.title", { count: count(missing) })}
      action={{ content: t("friends.profiles.fetch"), loading: fetcher.state !== "idle", onAction: () => fetcher.submit({ intent: "fetchProfiles" }, { method: "post", action: "/app/friends?index" }) }}
    >
      <p>{error && isKey(error) ? t(error) : t("friends.profiles.body")}</p>
    </Banner>
  );
}

export function FriendsListPage({ data, actionData }: { data: SerializeFrom<FriendsListData>; actionData?: SerializeFrom<ListActionAnswer> }) {
  const t = useT();
  const navigation = useNavigation();
  const submit = useSubmit();
  const { smDown } = useBreakpoints();
  const filters = useFriendFilters(data);
  const { searchParams } = filters;
  const connected = data.accounts.filter((account) => account.status === "connected");
  const loading = navigation.state === "loading";
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(data.friends);
  const [bulk, setBulk] = useState<BulkKind | null>(null);
  // A new page or filter starts with nothing selected.
  useEffect(() => clearSelection(), [searchParams.toString()]); // eslint-disable-line react-hooks/exhaustive-deps

  const selection: BulkSelection = allResourcesSelected && data.total > data.friends.length
    ? { all: true, ids: [], count: data.total }
    : { all: false, ids: selectedResources, count: selectedResources.length };

  const importAction = (account: { id: string; displayName: string }) => ({
    content: connected.length > 1 ? t("friends.import.buttonFor", { account: account.displayName }) : t("friends.import.button"),
    loading:
      (navigation.state === "submitting" && navigation.formData?.get("lineAccountId") === account.id) ||
      data.imports.some((run) => run.lineAccountId === account.id && run.status === "running"),
    onAction: () => submit({ intent: "import", lineAccountId: account.id }, { method: "post" }),
  });

  // An import that was created and then failed (the queue was down) shows as an import banner instead, and
  // "already running" goes once nothing runs any more.
  const refused = actionData?.errors && !actionData.importId && !actionData.intent ? Object.values(actionData.errors)[0] : null;
  const importError = refused === "friends.import.error.running" && !data.imports.some((run) => run.status === "running") ? null : refused;
  const empty = data.friends.length === 0 && !filters.filtering && !searchParams.get("after") && !data.queryError;
  const exportAll = { all: true, ids: [], count: data.total };
  return (
    <Page
      fullWidth
      title={t("friends.title")}
      subtitle={empty || data.queryError ? undefined : t("friends.count", { count: count(data.total) })}
      primaryAction={empty ? undefined : { content: t("friends.bulk.exportAll"), url: csvHref(exportAll, filters.filterFields), external: true, disabled: !data.total }}
      secondaryActions={!empty ? connected.map(importAction) : undefined}
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
        <ProfilesBanner missing={data.missingProfiles} />
        {empty ? (
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
                {connected.length ? <p>{t("friends.empty.nextStep")}</p> : null}
              </BlockStack>
            </EmptyState>
          </Card>
        ) : (
          <Card padding="0">
            <Filters
              queryValue={filters.query}
              queryPlaceholder={t("friends.search.placeholder")}
              filters={filters.filters}
              appliedFilters={filters.appliedFilters}
              onQueryChange={filters.onQueryChange}
              onQueryClear={() => filters.onQueryChange("")}
              onClearAll={filters.clearAll}
              loading={loading}
            />
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <SortSelect value={data.sort} onChange={(sort) => filters.go({ sort: sort === "newest" ? null : sort })} />
              <Box paddingInline="300" paddingBlockStart="300">
                <Text as="p" tone="subdued" variant="bodySm">
                  {t("friends.count", { count: count(data.total) })}
                </Text>
              </Box>
            </InlineStack>
            <IndexTable
              condensed={smDown}
              resourceName={{ singular: t("friends.resource.singular"), plural: t("friends.resource.plural") }}
              itemCount={data.friends.length}
              selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
              onSelectionChange={handleSelectionChange}
              hasMoreItems={data.total > data.friends.length}
              paginatedSelectAllActionText={t("friends.bulk.selectAll", { count: count(data.total) })}
              promotedBulkActions={[
                { content: t("friends.bulk.addTag"), onAction: () => setBulk("addTag") },
                { content: t("friends.bulk.removeTag"), onAction: () => setBulk("removeTag") },
                { content: t("friends.bulk.startScenario"), onAction: () => setBulk("startScenario") },
              ]}
              bulkActions={[{ content: t("friends.bulk.export"), url: csvHref(selection, filters.filterFields), external: true }]}
              loading={loading}
              emptyState={<EmptySearchResult title={t("friends.noMatch.title")} description={t("friends.noMatch.body")} withIllustration />}
              headings={[
                { title: t("friends.column.name") },
                { title: t("friends.column.status") },
                { title: t("friends.column.lastMessage") },
                { title: t("friends.column.tags") },
                { title: t("friends.column.customer") },
                ...(data.accounts.length > 1 ? [{ title: t("friends.column.account") }] : []),
                { title: t("friends.column.added") },
              ] as [{ title: string }, ...{ title: string }[]]}
            >
              {data.friends.map((friend, index) => (
                <FriendRow
                  key={friend.id}
                  friend={friend}
                  index={index}
                  selected={selectedResources.includes(friend.id)}
                  timeZone={data.timeZone}
                  condensed={smDown}
                  showAccount={data.accounts.length > 1}
                />
              ))}
            </IndexTable>
            {searchParams.get("after") || data.nextCursor ? (
              <div style={{ padding: "12px", display: "flex", justifyContent: "center" }}>
                <Pagination
                  hasPrevious={Boolean(searchParams.get("after"))}
                  onPrevious={filters.previous}
                  hasNext={Boolean(data.nextCursor)}
                  onNext={() => data.nextCursor && filters.next(data.nextCursor)}
                  previousTooltip={t("friends.page.previous")}
                  nextTooltip={t("friends.page.next")}
                />
              </div>
            ) : null}
          </Card>
        )}
      </BlockStack>
      <BulkModal
        kind={bulk}
        selection={selection}
        filterFields={filters.filterFields}
        tags={data.tags}
        scenarios={data.scenarios}
        onClose={() => setBulk(null)}
        onDone={() => {
          setBulk(null);
          clearSelection();
        }}
      />
    </Page>
  );
}

// Two people and a speech bubble, inline so the page needs nothing from a CDN.
const EMPTY_IMAGE = `data:image/svg+xml;utf8,${encodeURIComponent(
  `<svg xmlns="http://www.w3.org/2000/svg" width="226" height="160" viewBox="0 0 226 160"><circle cx="86" cy="64" r="26" fill="#d1e9d6"/><path d="M40 140c0-28 21-46 46-46s46 18 46 46z" fill="#d1e9d6"/><circle cx="140" cy="72" r="22" fill="#06c755" opacity=".75"/><path d="M102 140c0-24 17-39 38-39s38 15 38 39z" fill="#06c755" opacity=".75"/><rect x="150" y="14" width="62" height="40" rx="14" fill="#fff" stroke="#06c755" stroke-width="3"/><path d="M164 52l-6 14 18-14z" fill="#06c755"/><circle cx="168" cy="34" r="4" fill="#06c755"/><circle cx="181" cy="34" r="4" fill="#06c755"/><circle cx="194" cy="34" r="4" fill="#06c755"/></svg>`,
)}`;
