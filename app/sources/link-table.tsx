// The tracking-links table: each link with its URL and report. On a wide screen one column per figure with the
// actions always in view; on a phone (IndexTable's condensed mode) one stacked row per link. Long names are cut
// with "…" and shown in full on hover.
import { ActionList, Badge, BlockStack, Button, IndexTable, InlineStack, Popover, Text, useBreakpoints } from "@shopify/polaris";
import { MenuHorizontalIcon } from "@shopify/polaris-icons";
import { useState } from "react";
import { CopyUrl } from "../components/tracking-link-table";
import { useLocale, useT } from "../i18n/i18n";
import type { TrackingLinkRow } from "./tracking-types";

type Handlers = { onEdit: (link: TrackingLinkRow) => void; onArchive: (link: TrackingLinkRow) => void; onQr: (link: TrackingLinkRow) => void };
type Format = ReturnType<typeof useFormat>;

function useFormat() {
  const locale = useLocale();
  const number = new Intl.NumberFormat(locale);
  return {
    number: (value: number) => number.format(value),
    money: (amount: string, currency: string) => {
      try {
        return new Intl.NumberFormat(locale, { style: "currency", currency }).format(Number(amount));
      } catch {
        return `${amount} ${currency}`;
      }
    },
  };
}

/** The name, cut to `width` with the full text on hover. */
function Name(props: { name: string; width: number }) {
  return (
    <div title={props.name} translate="no" style={{ maxWidth: props.width, minWidth: 0 }}>
      <Text as="span" fontWeight="semibold" truncate>
        {props.name}
      </Text>
    </div>
  );
}

function LinkIdentity(props: { link: TrackingLinkRow; archived: boolean; width: number }) {
  const t = useT();
  const { link } = props;
  return (
    <BlockStack gap="100">
      <Name name={link.name} width={props.width} />
      <InlineStack gap="100" blockAlign="center">
        <span translate="no" style={{ maxWidth: props.width, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }} title={link.accountName}>
          <Text as="span" variant="bodySm" tone="subdued">
            {link.accountName}
          </Text>
        </span>
        {!link.accountConnected ? (
          <Badge tone="critical" size="small">
            {t("trackingLinks.accountDisconnected")}
          </Badge>
        ) : (
          !link.attributes && (
            <Badge tone="warning" size="small">
              {t("trackingLinks.noLiff.badge")}
            </Badge>
          )
        )}
      </InlineStack>
      {link.tagNames.length > 0 && (
        <div translate="no" style={{ maxWidth: props.width }}>
          <InlineStack gap="100">
            {link.tagNames.map((tag) => (
              <Badge key={tag} size="small">
                {tag}
              </Badge>
            ))}
          </InlineStack>
        </div>
      )}
      <CopyUrl url={link.url} name={link.name} disabled={props.archived} maxWidth={props.width - 70} />
    </BlockStack>
  );
}

function Revenue(props: { link: TrackingLinkRow; format: Format; align: "start" | "end" }) {
  const { revenue } = props.link.report;
  if (revenue.length === 0) {
    return (
      <Text as="span" tone="subdued">
        –
      </Text>
    );
  }
  return (
    <BlockStack inlineAlign={props.align}>
      {revenue.map((r) => (
        <Text as="span" numeric key={r.currency}>
          {props.format.money(r.amount, r.currency)}
        </Text>
      ))}
    </BlockStack>
  );
}

function Postbacks({ link }: { link: TrackingLinkRow }) {
  const t = useT();
  const { report } = link;
  if (!link.postbackUrl) {
    return (
      <Text as="span" variant="bodySm" tone="subdued">
        {t("trackingLinks.noPostback")}
      </Text>
    );
  }
  return (
    <BlockStack>
      <Text as="span" variant="bodySm">
        {t("trackingLinks.postbacks", { sent: report.postbacksSent })}
      </Text>
      {report.postbacksFailed > 0 && (
        <Text as="span" variant="bodySm" tone="critical">
          {t("trackingLinks.postbacksFailed", { failed: report.postbacksFailed })}
        </Text>
      )}
      {report.postbacksPending > 0 && (
        <Text as="span" variant="bodySm" tone="subdued">
          {t("trackingLinks.postbacksPending", { pending: report.postbacksPending })}
        </Text>
      )}
    </BlockStack>
  );
}

/** Edit in view; QR code and archive behind a small menu, so the column stays narrow. */
function Actions(props: { link: TrackingLinkRow } & Handlers) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const { link } = props;
  return (
    <InlineStack gap="100" wrap={false} blockAlign="center">
      <Button size="slim" onClick={() => props.onEdit(link)}>
        {t("trackingLinks.edit")}
      </Button>
      <Button size="slim" onClick={() => props.onQr(link)} accessibilityLabel={t("trackingLinks.qr.label", { name: link.name })}>
        {t("trackingLinks.qr.button")}
      </Button>
      <Popover
        active={open}
        onClose={() => setOpen(false)}
        preferredAlignment="right"
        activator={
          <Button size="slim" variant="tertiary" icon={MenuHorizontalIcon} onClick={() => setOpen((value) => !value)} accessibilityLabel={t("trackingLinks.moreActions", { name: link.name })} />
        }
      >
        <ActionList
          actionRole="menuitem"
          items={[
            {
              content: t("trackingLinks.archive"),
              destructive: true,
              onAction: () => {
                setOpen(false);
                props.onArchive(link);
              },
            },
          ]}
        />
      </Popover>
    </InlineStack>
  );
}

/** One stacked row of the phone layout. */
function CondensedRow(props: { link: TrackingLinkRow; archived: boolean; format: Format } & Handlers) {
  const t = useT();
  const { link, format } = props;
  const { report } = link;
  const figures: [string, string][] = [
    [t("trackingLinks.column.clicks"), format.number(report.clicks)],
    [t("trackingLinks.column.linked"), format.number(report.linked)],
    [t("trackingLinks.column.friends"), format.number(report.friends)],
    [t("trackingLinks.column.blocked"), format.number(report.blocked)],
    [t("trackingLinks.column.orders"), format.number(report.orders)],
  ];
  return (
    <BlockStack gap="200">
      <LinkIdentity link={link} archived={props.archived} width={300} />
      <InlineStack gap="300" wrap>
        {figures.map(([label, value]) => (
          <Text as="span" variant="bodySm" key={label}>
            <Text as="span" tone="subdued" variant="bodySm">
              {label}
            </Text>{" "}
            <Text as="span" fontWeight="semibold" variant="bodySm" numeric>
              {value}
            </Text>
          </Text>
        ))}
      </InlineStack>
      <InlineStack gap="300" wrap blockAlign="start">
        <Revenue link={link} format={format} align="start" />
        <Postbacks link={link} />
      </InlineStack>
      {!props.archived && <Actions link={link} onEdit={props.onEdit} onArchive={props.onArchive} onQr={props.onQr} />}
    </BlockStack>
  );
}

/** The links with their URL and report; while not archived, each can be edited, printed as a QR code, or archived. */
export function LinkTable(props: { links: TrackingLinkRow[]; archived: boolean } & Handlers) {
  const t = useT();
  const format = useFormat();
  const { smDown } = useBreakpoints();
  const numeric = (value: number) => (
    <Text as="span" alignment="end" numeric>
      {format.number(value)}
    </Text>
  );
  const handlers = { onEdit: props.onEdit, onArchive: props.onArchive, onQr: props.onQr };
  return (
    <IndexTable
      condensed={smDown}
      resourceName={{ singular: t("trackingLinks.column.name"), plural: t("trackingLinks.title") }}
      itemCount={props.links.length}
      selectable={false}
      headings={[
        { title: t("trackingLinks.column.name") },
        { title: t("trackingLinks.column.clicks"), alignment: "end" },
        { title: t("trackingLinks.column.linked"), alignment: "end", tooltipContent: t("trackingLinks.help.linked") },
        { title: t("trackingLinks.column.friends"), alignment: "end", tooltipContent: t("trackingLinks.help.friends") },
        { title: t("trackingLinks.column.blocked"), alignment: "end", tooltipContent: t("trackingLinks.help.blocked") },
        { title: t("trackingLinks.column.orders"), alignment: "end", tooltipContent: t("trackingLinks.help.orders") },
        { title: t("trackingLinks.column.revenue"), alignment: "end", tooltipContent: t("trackingLinks.help.orders") },
        { title: t("trackingLinks.column.postbacks"), tooltipContent: t("trackingLinks.help.postbacks") },
        ...(props.archived ? [] : [{ title: t("trackingLinks.column.actions"), alignment: "end" as const }]),
      ]}
    >
      {props.links.map((link, index) => {
        const { report } = link;
        if (smDown) {
          return (
            <IndexTable.Row id={link.id} key={link.id} position={index}>
              <div style={{ padding: "12px 16px", width: "100%", minWidth: 0 }}>
                <CondensedRow link={link} archived={props.archived} format={format} {...handlers} />
              </div>
            </IndexTable.Row>
          );
        }
        return (
          <IndexTable.Row id={link.id} key={link.id} position={index}>
            <IndexTable.Cell>
              <LinkIdentity link={link} archived={props.archived} width={260} />
            </IndexTable.Cell>
            <IndexTable.Cell>{numeric(report.clicks)}</IndexTable.Cell>
            <IndexTable.Cell>{numeric(report.linked)}</IndexTable.Cell>
            <IndexTable.Cell>{numeric(report.friends)}</IndexTable.Cell>
            <IndexTable.Cell>
              <BlockStack inlineAlign="end">
                {numeric(report.blocked)}
                {report.friends > 0 && (
                  <Text as="span" variant="bodySm" tone="subdued" numeric>
                    {t("trackingLinks.blockedRate", { rate: Math.round((report.blocked / report.friends) * 100) })}
                  </Text>
                )}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>{numeric(report.orders)}</IndexTable.Cell>
            <IndexTable.Cell>
              <Revenue link={link} format={format} align="end" />
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Postbacks link={link} />
            </IndexTable.Cell>
            {!props.archived && (
              <IndexTable.Cell>
                <InlineStack align="end">
                  <Actions link={link} {...handlers} />
                </InlineStack>
              </IndexTable.Cell>
            )}
          </IndexTable.Row>
        );
      })}
    </IndexTable>
  );
}
