// The tracking-links page: the links' report for a period (date range in the URL), CSV of the table, create, edit,
// QR code and archive. Saved, created and archived are App Bridge toasts.
import { useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Card, EmptyState, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { IntentConfirmModal } from "../components/confirm-modal";
import { DateRangePicker } from "../components/date-range-picker";
import { DownloadButton } from "../components/download-button";
import { useListEditor } from "../components/list-editor";
import { NoAccountPage } from "../components/no-account-page";
import { useToast } from "../components/toast";
import { useLocale, useT } from "../i18n/i18n";
import { LinkModal } from "./link-modal";
import { LinkTable } from "./link-table";
import { QrModal } from "./qr-modal";
import type { TrackingLinkAction } from "./tracking-actions.server";
import type { TrackingLinkRow, TrackingPageData } from "./tracking-types";

type Editing =
  | { mode: "create" }
  | { mode: "edit"; link: TrackingLinkRow }
  | { mode: "archive"; link: TrackingLinkRow }
  | { mode: "qr"; link: TrackingLinkRow };

// A link arrow into a speech bubble, inline so the page needs nothing from outside. Its size is explicit: in a
// full-width page the empty state's flex container gives a size-less SVG no width at all.
const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><rect x="52" y="30" width="48" height="36" rx="12" fill="#06c755"/><path d="M64 64l-4 12 14-10z" fill="#06c755"/><text x="76" y="53" font-family="Arial,sans-serif" font-size="12" font-weight="700" fill="#fff" text-anchor="middle">LINE</text><path d="M20 82h26M34 70l14 12-14 12" fill="none" stroke="#1a1a1a" stroke-width="5" stroke-linecap="round" stroke-linejoin="round"/></svg>',
)}`;

export function TrackingLinksPage({ data }: { data: TrackingPageData }) {
  const t = useT();
  const locale = useLocale();
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const list = useListEditor<Editing>();
  const create = () => list.edit({ mode: "create" });
  const done = (message: string) => {
    list.close();
    toast(message);
  };
  const view = (archived: boolean) => {
    const next = new URLSearchParams(params);
    if (archived) next.set("view", "archived");
    else next.delete("view");
    setParams(next);
  };
  const withoutLiff = [...new Set(data.links.filter((link) => link.accountConnected && !link.attributes).map((link) => link.accountName))];
  const csv = new URLSearchParams({ from: data.range.from, to: data.range.to, locale, ...(data.archived ? { view: "archived" } : {}) });

  if (data.accounts.length === 0 && data.links.length === 0 && !data.archived && data.archivedCount === 0) {
    return <NoAccountPage title={t("trackingLinks.title")} messages="trackingLinks" image={EMPTY_IMAGE} />;
  }

  return (
    <Page
      fullWidth
      title={data.archived ? t("trackingLinks.archivedHeading") : t("trackingLinks.title")}
      subtitle={t("trackingLinks.subtitle")}
      backAction={data.archived ? { content: t("trackingLinks.showActive"), onAction: () => view(false) } : undefined}
      primaryAction={!data.archived && data.links.length && data.accounts.length ? { content: t("trackingLinks.create"), onAction: create } : undefined}
      secondaryActions={
        data.archived || data.archivedCount === 0 ? [] : [{ content: t("trackingLinks.showArchived", { count: data.archivedCount }), onAction: () => view(true) }]
      }
    >
      <Layout>
        {withoutLiff.length > 0 && (
          <Layout.Section>
            <Banner tone="warning" action={{ content: t("trackingLinks.noLiff.action"), url: "/app/accounts" }}>
              {t("trackingLinks.noLiff.body", { accounts: withoutLiff.join(", ") })}
            </Banner>
          </Layout.Section>
        )}
        {data.links.length > 0 && (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <InlineStack gap="400" align="space-between" blockAlign="start" wrap>
                  <DateRangePicker range={data.range} today={data.today} timeZone={data.timeZone} />
                  <DownloadButton url={`/app/tracking-links.csv?${csv.toString()}`} fileName={`tracking-links-${data.range.from}-${data.range.to}.csv`} label={t("dateRange.download")} />
                </InlineStack>
                <Text as="p" variant="bodySm" tone="subdued">
                  {t("trackingLinks.periodNote")}
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card padding={data.links.length ? "0" : undefined}>
            {data.links.length > 0 ? (
              <LinkTable
                links={data.links}
                archived={data.archived}
                onEdit={(link) => list.edit({ mode: "edit", link })}
                onArchive={(link) => list.edit({ mode: "archive", link })}
                onQr={(link) => list.edit({ mode: "qr", link })}
              />
            ) : data.archived ? (
              <Text as="p" tone="subdued">
                {t("trackingLinks.archivedNone")}
              </Text>
            ) : (
              <EmptyState
                heading={t("trackingLinks.empty.heading")}
                action={data.accounts.length ? { content: t("trackingLinks.create"), onAction: create } : { content: t("trackingLinks.noAccount.action"), url: "/app/accounts" }}
                image={EMPTY_IMAGE}
              >
                <BlockStack gap="200">
                  <p>{t("trackingLinks.empty.body")}</p>
                  <p>{t("trackingLinks.empty.report")}</p>
                </BlockStack>
              </EmptyState>
            )}
          </Card>
        </Layout.Section>
      </Layout>
      {(list.editing?.mode === "create" || list.editing?.mode === "edit") && (
        <LinkModal
          key={list.editing.mode === "edit" ? list.editing.link.id : "new"}
          link={list.editing.mode === "edit" ? list.editing.link : null}
          data={data}
          onClose={list.close}
          onDone={done}
        />
      )}
      {list.editing?.mode === "qr" && <QrModal link={list.editing.link} onClose={list.close} />}
      {list.editing?.mode === "archive" && (
        <IntentConfirmModal<TrackingLinkAction>
          title={t("trackingLinks.archiveModal.title", { name: list.editing.link.name })}
          confirm={t("trackingLinks.archiveModal.confirm")}
          cancel={t("trackingLinks.form.cancel")}
          intent={{ intent: "archive", id: list.editing.link.id }}
          onClose={list.close}
          onDone={(answer) => done(t("trackingLinks.archived", { name: answer.name }))}
        >
          <Text as="p">{t("trackingLinks.archiveModal.body")}</Text>
          <Text as="p" tone="subdued">
            {t("trackingLinks.archiveModal.kept")}
          </Text>
        </IntentConfirmModal>
      )}
    </Page>
  );
}
