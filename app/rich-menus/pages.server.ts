// What the rich-menu pages load: the account picked (?account=), the menus with small previews drawn from their
// stored images, the editor's references (tags, tab candidates, LIFF) and statistics, the tag rules.
import { chosenAccount, connectedAccounts } from "../components/account-picker";
import { db } from "../db.server";
import { listAccounts } from "../line/accounts.server";
import { ensureShop } from "../shops/shops.server";
import { listTags } from "../tags/tags.server";
import { previewDataUrl } from "./image.server";
import type { Area } from "./model";
import { getRichMenu, listRichMenus, listRules, richMenuImage, richMenuStats } from "./rich-menus.server";

async function accountsOf(shop: string, request: Request) {
  const all = await listAccounts(shop);
  const accounts = connectedAccounts(all);
  return { all, accounts, account: chosenAccount(accounts, request) };
}

async function thumbnail(shop: string, id: string, width: number) {
  const image = await richMenuImage(shop, id);
  return image ? { url: await previewDataUrl(Buffer.from(image.bytes), width), bytes: image.bytes.byteLength, type: image.type } : null;
}

export async function listPage(shop: string, request: Request) {
  const { accounts, account } = await accountsOf(shop, request);
  const menus = account ? await listRichMenus(shop, account.id) : [];
  const thumbnails = await Promise.all(menus.map((menu) => (menu.imageWidth ? thumbnail(shop, menu.id, 320) : null)));
  return {
    accounts,
    accountId: account?.id ?? null,
    menus: menus.map((menu, index) => ({
      id: menu.id,
      name: menu.name,
      chatBarText: menu.chatBarText,
      size: menu.size,
      areas: menu.areas.length,
      status: menu.status,
      isDefault: menu.isDefault,
      tabPosition: menu.groupId ? menu.tabPosition : null,
      hasDraftChanges: menu.hasDraftChanges && menu.status !== "draft",
      thumbnail: thumbnails[index]?.url ?? null,
    })),
  };
}

export async function editorPage(shop: string, id: string | null, request: Request) {
  const menu = id ? await getRichMenu(shop, id) : null;
  if (id && !menu) return null;
  const { all, accounts, account: picked } = await accountsOf(shop, request);
  const accountId = menu?.lineAccountId ?? picked?.id ?? null;
  const account = all.find((a) => a.id === accountId) ?? null;
  const [tags, menus, image, stats, shopRow] = await Promise.all([
    listTags(shop),
    accountId ? listRichMenus(shop, accountId) : [],
    menu?.imageWidth ? thumbnail(shop, menu.id, 1250) : null,
    menu && menu.status !== "draft" ? richMenuStats(shop, menu.id) : null,
    ensureShop(shop),
  ]);
  const active = menus.filter((m) => !m.archivedAt);
  const group = menu?.groupId ? active.filter((m) => m.groupId === menu.groupId).sort((a, b) => (a.tabPosition ?? 0) - (b.tabPosition ?? 0)) : [];
  return {
    accounts,
    accountId,
    shopDomain: shop,
    timeZone: shopRow.timeZone,
    hasLiff: Boolean(account?.liffId),
    menu: menu
      ? {
          id: menu.id,
          lineAccountId: menu.lineAccountId,
          name: menu.name,
          chatBarText: menu.chatBarText,
          size: menu.size,
          layout: menu.layout,
          areas: menu.areas as Area[],
          isDefault: menu.isDefault,
          status: menu.status,
          hasDraftChanges: menu.hasDraftChanges,
          failedReason: menu.failedReason,
          groupId: menu.groupId,
        }
      : null,
    image: image && menu ? { url: image.url, info: { type: image.type, width: menu.imageWidth!, height: menu.imageHeight!, bytes: image.bytes } } : null,
    tags: tags.map((tag) => ({ id: tag.id, name: tag.name })),
    menus: active.map((m) => ({ id: m.id, name: m.name, size: m.size, groupId: m.groupId })),
    group: group.map((m) => ({ id: m.id, name: m.name })),
    stats: stats ? { insight: stats.insight, linkClicks: stats.linkClicks, friends: stats.friends } : null,
  };
}

export async function rulesPage(shop: string, request: Request) {
  const { accounts, account } = await accountsOf(shop, request);
  const [rules, tags, menus] = await Promise.all([
    account ? listRules(shop, account.id) : [],
    listTags(shop),
    account ? listRichMenus(shop, account.id) : [],
  ]);
  return {
    accounts,
    accountId: account?.id ?? null,
    rules: rules.map((rule) => ({ key: rule.id, tagId: rule.tagId, richMenuId: rule.richMenuId })),
    tags: tags.map((tag) => ({ id: tag.id, name: tag.name })),
    menus: menus.filter((m) => !m.archivedAt).map((m) => ({ id: m.id, name: m.name })),
    defaultMenu: menus.find((m) => m.isDefault && !m.archivedAt)?.name ?? null,
  };
}

/** The menus of the shop, for pickers elsewhere (action links). */
export async function menuChoices(shop: string) {
  const menus = await db.richMenu.findMany({ where: { shop, archivedAt: null }, select: { id: true, name: true, lineAccountId: true }, orderBy: { createdAt: "desc" } });
  return menus;
}
