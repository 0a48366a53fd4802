// The rich-menu list of one LINE account: a small preview of each menu, its status, default and tab badges.
import { Badge, BlockStack, Card, EmptyState, InlineStack, Page, Text } from "@shopify/polaris";
import { AccountPicker } from "../../components/account-picker";
import { Truncated } from "../../components/truncated";
import { useT } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/messages";

export type MenuRow = {
  id: string;
  name: string;
  chatBarText: string;
  size: string;
  areas: number;
  status: "draft" | "publishing" | "live" | "failed" | "archived";
  isDefault: boolean;
  tabPosition: number | null;
  hasDraftChanges: boolean;
  thumbnail: string | null;
};

const TONE = { draft: undefined, publishing: "attention", live: "success", failed: "critical", archived: undefined } as const;

// A menu panel under a chat bubble, inline so the page needs nothing from outside; explicit size.
export const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><rect x="30" y="24" width="50" height="22" rx="10" fill="#06c755"/><rect x="22" y="58" width="76" height="40" rx="6" fill="#fff" stroke="#06c755" stroke-width="3"/><path d="M47 58v40M72 58v40M22 78h76" stroke="#06c755" stroke-width="3"/></svg>',
)}`;

export function MenuList(props: { accounts: { id: string; displayName: string }[]; accountId: string | null; menus: MenuRow[]; onOpen: (id: string) => void; onCreate: () => void; onRules: () => void; onActionLinks: () => void }) {
  const t = useT();
  const create = { content: t("richMenuPages.create"), onAction: props.onCreate };
  if (!props.accounts.length) {
    return (
      <Page title={t("richMenuPages.title")}>
        <Card>
          <EmptyState heading={t("trackingLinks.noAccount.heading")} action={{ content: t("trackingLinks.noAccount.action"), url: "/app/accounts" }} image={EMPTY_IMAGE}>
            <p>{t("richMenuPages.empty.body")}</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  return (
    <Page
      title={t("richMenuPages.title")}
      subtitle={t("richMenuPages.subtitle")}
      primaryAction={props.menus.length ? create : undefined}
      secondaryActions={[
        { content: t("richMenuPages.rulesLink"), onAction: props.onRules },
        { content: t("richMenuPages.actionLinksLink"), onAction: props.onActionLinks },
      ]}
    >
      <BlockStack gap="400">
        {props.accounts.length > 1 ? <AccountPicker label={t("richMenuPages.account")} accounts={props.accounts} selectedId={props.accountId} /> : null}
        {props.menus.length === 0 ? (
          <Card>
            <EmptyState heading={t("richMenuPages.empty.heading")} action={create} image={EMPTY_IMAGE}>
              <p>{t("richMenuPages.empty.body")}</p>
            </EmptyState>
          </Card>
        ) : (
          <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(260px, 1fr))", gap: 16 }}>
            {props.menus.map((menu) => (
              <Card key={menu.id} padding="0">
                <button type="button" onClick={() => props.onOpen(menu.id)} data-menu={menu.name} style={{ all: "unset", display: "block", width: "100%", cursor: "pointer" }}>
                  <div style={{ aspectRatio: menu.size === "compact" ? "2500 / 843" : "2500 / 1686", background: "#f1f2f4", display: "flex", alignItems: "center", justifyContent: "center" }}>
                    {menu.thumbnail ? (
                      <img src={menu.thumbnail} alt="" style={{ width: "100%", height: "100%", objectFit: "cover", display: "block" }} />
                    ) : (
                      <Text as="span" tone="subdued">
                        {t("richMenuPages.noImage")}
                      </Text>
                    )}
                  </div>
                  <div style={{ padding: 12 }}>
                    <BlockStack gap="150">
                      <Text as="h3" variant="headingSm">
                        <Truncated text={menu.name} maxWidth="100%" />
                      </Text>
                      <Text as="p" tone="subdued" variant="bodySm">
                        <span translate="no">{menu.chatBarText}</span> · {t(`richMenuPages.size.${menu.size === "compact" ? "compact" : "full"}`)} · {(menu.areas === 1 ? t("richMenuPages.layout.single") : t("richMenuPages.layout.template", { count: menu.areas }))}
                      </Text>
                      <InlineStack gap="100">
                        <Badge tone={TONE[menu.status]}>{t(`richMenuPages.status.${menu.status}` as MessageKey)}</Badge>
                        {menu.isDefault ? <Badge tone="info">{t("richMenuPages.badge.default")}</Badge> : null}
                        {menu.tabPosition !== null ? <Badge>{t("richMenuPages.badge.tab", { position: menu.tabPosition + 1 })}</Badge> : null}
                        {menu.hasDraftChanges ? <Badge tone="warning">{t("richMenuPages.badge.changed")}</Badge> : null}
                      </InlineStack>
                    </BlockStack>
                  </div>
                </button>
              </Card>
            ))}
          </div>
        )}
      </BlockStack>
    </Page>
  );
}
