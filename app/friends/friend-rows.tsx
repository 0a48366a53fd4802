// One friend's row of the friends list: the full row on a wide screen, one stacked cell (name, status and the key
// facts) in IndexTable's condensed mode on a phone. Long names and tags are truncated with the full text on hover.
import type { SerializeFrom } from "@remix-run/node";
import { Link as RemixLink } from "@remix-run/react";
import { Avatar, Badge, BlockStack, IndexTable, InlineStack, Text, Tooltip } from "@shopify/polaris";
import { formatPrice } from "../abandoned-cart/money";
import { useLocale, useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { formatDateTime, initial } from "../i18n/format";
import type { FriendListItem } from "./friends.server";

export type FriendRowData = SerializeFrom<FriendListItem>;

const STATUS_TONES = { following: "success", blocked: "critical", unknown: undefined } as const;
/** Tags shown in a row before "+N" (the rest are in the tooltip). */
export const TAGS_SHOWN = 2;

const ellipsis = { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", display: "block" } as const;

function StatusBadges({ friend }: { friend: FriendRowData }) {
  const t = useT();
  const status = ["following", "blocked", "unknown"].includes(friend.followStatus) ? t(`friends.status.${friend.followStatus}` as MessageKey) : friend.followStatus;
  return (
    <InlineStack gap="100" wrap={false}>
      <Badge tone={STATUS_TONES[friend.followStatus as keyof typeof STATUS_TONES]}>{status}</Badge>
      {friend.operatorBlockedAt ? <Badge tone="warning">{t("friends.operatorBlocked.badge")}</Badge> : null}
    </InlineStack>
  );
}

/** The friend's name (or "no profile") with the avatar, linking to the friend page; the full name on hover. */
function NameCell({ friend, maxWidth }: { friend: FriendRowData; maxWidth: string }) {
  const t = useT();
  const name = friend.displayName ?? t("friends.unnamed");
  return (
    <InlineStack gap="300" blockAlign="center" wrap={false}>
      <Avatar size="md" source={friend.pictureUrl ?? undefined} name={name} initials={initial(friend.displayName)} />
      <BlockStack gap="050">
        {/* The text sits in the clipping element itself: nothing inside it is wider than the cell. */}
        <RemixLink
          to={`/app/friends/${friend.id}`}
          style={{ color: "inherit", textDecoration: "none", fontWeight: 600, maxWidth, ...ellipsis }}
          title={name}
          translate={friend.displayName ? "no" : undefined}
        >
          {name}
        </RemixLink>
        {friend.displayName ? null : friend.profileUnavailableAt ? (
          <Tooltip content={t("friends.noProfile.unavailableHelp")}>
            <Badge tone="warning">{t("friends.noProfile.unavailable")}</Badge>
          </Tooltip>
        ) : (
          <InlineStack>
            <Badge tone="attention">{t("friends.noProfile.badge")}</Badge>
          </InlineStack>
        )}
      </BlockStack>
    </InlineStack>
  );
}

/** The first tags, then "+N"; the whole list on hover. */
export function TagList({ tags }: { tags: FriendRowData["tags"] }) {
  const t = useT();
  if (!tags.length) return <Text as="span" tone="subdued">—</Text>;
  const all = tags.map(({ tag }) => tag.name).join(", ");
  return (
    <Tooltip content={<span translate="no">{all}</span>}>
      <span title={all} style={{ display: "inline-flex", gap: "4px", maxWidth: "180px", overflow: "hidden" }} translate="no">
        {tags.slice(0, TAGS_SHOWN).map(({ tag }) => (
          <span key={tag.id} style={{ maxWidth: "96px", minWidth: 0, flexShrink: 1 }}>
            <Badge tone={tag.color as "info"}>{tag.name}</Badge>
          </span>
        ))}
        {tags.length > TAGS_SHOWN ? <Badge>{t("friends.tags.more", { count: tags.length - TAGS_SHOWN })}</Badge> : null}
      </span>
    </Tooltip>
  );
}

/** The last message's first words and its time (the friend's, or "You: …" for ours). */
function LastMessage({ friend, timeZone, maxWidth }: { friend: FriendRowData; timeZone: string; maxWidth: string }) {
  const t = useT();
  const message = friend.lastMessage;
  if (!message) return <Text as="span" tone="subdued">{t("friends.lastMessage.none")}</Text>;
  const kindKey = `friends.chat.kind.${message.kind}` as MessageKey;
  const body = message.kind === "text" && message.text ? message.text : t(kindKey);
  const text = message.direction === "out" ? t("friends.lastMessage.you", { text: body }) : body;
  return (
    <BlockStack gap="050">
      <span style={{ maxWidth, fontSize: "var(--p-font-size-300)", ...ellipsis }} title={text} translate="no">
        {text}
      </span>
      <Text as="span" variant="bodySm" tone="subdued">{formatDateTime(message.createdAt, timeZone)}</Text>
    </BlockStack>
  );
}

const customerNumber = (id: string) => id.replace(/^gid:\/\/shopify\/Customer\//, "");

/** The linked customer's name (a link into Shopify's admin), with total spent and last order beneath. */
function CustomerCell({ friend, timeZone }: { friend: FriendRowData; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  const { customer, shopifyCustomerId } = friend;
  if (!shopifyCustomerId) return <Text as="span" tone="subdued">{t("friends.customer.none")}</Text>;
  const name = customer?.name ?? t("friends.customer.number", { id: customerNumber(shopifyCustomerId) });
  const figures = [
    customer?.totalSpent && customer.currency ? formatPrice(customer.totalSpent, customer.currency, locale === "en" ? "en-US" : "ja-JP") : null,
    customer?.lastOrderAt ? formatDateTime(customer.lastOrderAt, timeZone, false) : null,
  ].filter(Boolean);
  return (
    <BlockStack gap="050">
      <InlineStack gap="100" blockAlign="center" wrap={false}>
        {/* A plain anchor: App Bridge opens shopify://admin links in the admin. */}
        <a className="Polaris-Link" href={`shopify://admin/customers/${customerNumber(shopifyCustomerId)}`} target="_top" title={name} style={{ maxWidth: "150px", ...ellipsis }} translate={customer?.name ? "no" : undefined}>
          {name}
        </a>
        {customer?.importStatus === "importing" ? <Badge tone="info">{t("customers.list.importing")}</Badge> : null}
        {customer?.importStatus === "failed" ? <Badge tone="warning">{t("customers.list.importFailed")}</Badge> : null}
      </InlineStack>
      {figures.length ? <Text as="span" variant="bodySm" tone="subdued">{figures.join(" · ")}</Text> : null}
    </BlockStack>
  );
}

export function FriendRow(props: { friend: FriendRowData; index: number; selected: boolean; timeZone: string; condensed: boolean; showAccount: boolean }) {
  const { friend, timeZone } = props;
  const t = useT();
  if (props.condensed) {
    const customer = friend.shopifyCustomerId ? (friend.customer?.name ?? t("friends.customer.number", { id: customerNumber(friend.shopifyCustomerId) })) : null;
    return (
      <IndexTable.Row id={friend.id} position={props.index} selected={props.selected}>
        <IndexTable.Cell>
          <BlockStack gap="150">
            <InlineStack align="space-between" blockAlign="start" gap="200">
              <NameCell friend={friend} maxWidth="150px" />
              <StatusBadges friend={friend} />
            </InlineStack>
            <LastMessage friend={friend} timeZone={timeZone} maxWidth="300px" />
            <InlineStack gap="200" blockAlign="center" wrap={false}>
              <TagList tags={friend.tags} />
              {customer ? (
                <span style={{ maxWidth: "140px", fontSize: "var(--p-font-size-300)", color: "var(--p-color-text-secondary)", ...ellipsis }} title={customer} translate="no">
                  {customer}
                </span>
              ) : null}
            </InlineStack>
          </BlockStack>
        </IndexTable.Cell>
      </IndexTable.Row>
    );
  }
  return (
    <IndexTable.Row id={friend.id} position={props.index} selected={props.selected}>
      <IndexTable.Cell>
        <NameCell friend={friend} maxWidth="160px" />
      </IndexTable.Cell>
      <IndexTable.Cell>
        <StatusBadges friend={friend} />
      </IndexTable.Cell>
      <IndexTable.Cell>
        <LastMessage friend={friend} timeZone={timeZone} maxWidth="200px" />
      </IndexTable.Cell>
      <IndexTable.Cell>
        <TagList tags={friend.tags} />
      </IndexTable.Cell>
      <IndexTable.Cell>
        <CustomerCell friend={friend} timeZone={timeZone} />
      </IndexTable.Cell>
      {props.showAccount ? (
        <IndexTable.Cell>
          <span style={{ maxWidth: "140px", ...ellipsis }} title={friend.lineAccount.displayName} translate="no">
            {friend.lineAccount.displayName}
          </span>
        </IndexTable.Cell>
      ) : null}
      <IndexTable.Cell>{formatDateTime(friend.createdAt, timeZone, false)}</IndexTable.Cell>
    </IndexTable.Row>
  );
}
