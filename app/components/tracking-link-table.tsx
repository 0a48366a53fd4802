// The tracking-links page's table: each link's URL (with a copy button) and its report.
import { useRouteLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, IndexTable, InlineStack, Text } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { useT } from "../i18n/i18n";
import type { TrackingLinkRow } from "../sources/tracking-link-row";

function useFormat() {
  const locale = useRouteLoaderData<{ locale?: string }>("routes/app")?.locale ?? "en";
  return {
    number: (value: number) => new Intl.NumberFormat(locale).format(value),
    money: (amount: string, currency: string) => {
      try {
        return new Intl.NumberFormat(locale, { style: "currency", currency }).format(Number(amount));
      } catch {
        return `${amount} ${currency}`;
      }
    },
  };
}

/** The links with their URL and report; while not archived, each can be edited or archived. */
export function LinkTable(props: {
  links: TrackingLinkRow[];
  archived: boolean;
  onEdit: (link: TrackingLinkRow) => void;
  onArchive: (link: TrackingLinkRow) => void;
}) {
  const t = useT();
  const format = useFormat();
  const numeric = (value: number) => (
    <Text as="span" alignment="end" numeric>
      {format.number(value)}
    </Text>
  );
  return (
    <IndexTable
      resourceName={{ singular: t("trackingLinks.column.name"), plural: t("trackingLinks.title") }}
      itemCount={props.links.length}
      selectable={false}
      headings={[
        { title: t("trackingLinks.column.name") },
        { title: t("trackingLinks.column.url") },
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
        return (
          <IndexTable.Row id={link.id} key={link.id} position={index}>
            <IndexTable.Cell>
              <BlockStack gap="100">
                <Text as="span" fontWeight="semibold">
                  {link.name}
                </Text>
                <InlineStack gap="100" blockAlign="center">
                  <Text as="span" variant="bodySm" tone="subdued">
                    {link.accountName}
                  </Text>
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
                  <InlineStack gap="100">
                    {link.tagNames.map((tag) => (
                      <Badge key={tag} size="small">
                        {tag}
                      </Badge>
                    ))}
                  </InlineStack>
                )}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <CopyUrl url={link.url} name={link.name} disabled={props.archived} />
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
              <BlockStack inlineAlign="end">
                {report.revenue.length === 0 ? (
                  <Text as="span" tone="subdued">
                    –
                  </Text>
                ) : (
                  report.revenue.map((revenue) => (
                    <Text as="span" numeric key={revenue.currency}>
                      {format.money(revenue.amount, revenue.currency)}
                    </Text>
                  ))
                )}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              {link.postbackUrl ? (
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
              ) : (
                <Text as="span" variant="bodySm" tone="subdued">
                  {t("trackingLinks.noPostback")}
                </Text>
              )}
            </IndexTable.Cell>
            {!props.archived && (
              <IndexTable.Cell>
                <InlineStack align="end" gap="200" wrap={false}>
                  <Button size="slim" onClick={() => props.onEdit(link)}>
                    {t("trackingLinks.edit")}
                  </Button>
                  <Button size="slim" variant="plain" tone="critical" onClick={() => props.onArchive(link)}>
                    {t("trackingLinks.archive")}
                  </Button>
                </InlineStack>
              </IndexTable.Cell>
            )}
          </IndexTable.Row>
        );
      })}
    </IndexTable>
  );
}

/** The link's URL with a copy button; where the clipboard is not allowed, the URL is selected for Ctrl+C. */
export function CopyUrl(props: { url: string; name: string; disabled?: boolean; full?: boolean }) {
  const t = useT();
  const code = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = () =>
    navigator.clipboard.writeText(props.url).then(
      () => setCopied(true),
      () => code.current && window.getSelection()?.selectAllChildren(code.current),
    );
  return (
    <InlineStack gap="200" blockAlign="center" wrap={false}>
      {/* Shown without the scheme to keep the table narrow; the copy is the full URL. */}
      <code ref={code} style={{ fontSize: "12px", whiteSpace: "nowrap" }}>
        {props.full ? props.url : props.url.replace(/^https?:\/\//, "")}
      </code>
      {!props.disabled && (
        <Button size="micro" accessibilityLabel={t("trackingLinks.copyLabel", { name: props.name })} onClick={copy}>
          {copied ? t("trackingLinks.copied") : t("trackingLinks.copy")}
        </Button>
      )}
    </InlineStack>
  );
}
