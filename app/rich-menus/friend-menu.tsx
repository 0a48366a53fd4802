// The friend page's line about the rich menu: which menu the friend sees and why (a tag rule, the default, none),
// from the engine's menuOfFriend, which the friend page's loader returns as `richMenu`.
import { Link, useRouteLoaderData } from "@remix-run/react";
import { Badge, BlockStack, InlineStack, Text } from "@shopify/polaris";
import { useT } from "../i18n/i18n";

export type FriendMenuView = {
  menu: { id: string; name: string } | null;
  reason: "rule" | "default" | "none" | "blocked";
  tag: { id: string; name: string } | null;
  pending: boolean;
} | null;

export function FriendMenuLine() {
  const t = useT();
  const menu = (useRouteLoaderData("routes/app.friends.$id") as { richMenu?: FriendMenuView } | undefined)?.richMenu ?? null;
  if (!menu) return null;
  const text =
    menu.reason === "blocked"
      ? t("richMenuPages.friend.blocked")
      : menu.reason === "rule" && menu.menu
        ? t("richMenuPages.friend.rule", { menu: menu.menu.name, tag: menu.tag?.name ?? "" })
        : menu.reason === "default" && menu.menu
          ? t("richMenuPages.friend.default", { menu: menu.menu.name })
          : t("richMenuPages.friend.none");
  return (
    <div data-testid="friend-rich-menu">
      <BlockStack gap="100">
        <Text as="span" tone="subdued">
          {t("richMenuPages.friend.heading")}
        </Text>
        <InlineStack gap="200" blockAlign="center">
          <Text as="span">{menu.menu ? <Link to={`/app/rich-menus/${menu.menu.id}`}>{text}</Link> : text}</Text>
          {menu.pending ? <Badge tone="attention">{t("richMenuPages.friend.pending")}</Badge> : null}
        </InlineStack>
      </BlockStack>
    </div>
  );
}
