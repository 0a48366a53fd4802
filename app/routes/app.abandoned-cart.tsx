import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { quotaState } from "../abandoned-cart/analytics.server";
import { CartSettingsForm } from "../abandoned-cart/settings-form";
import type { CartSettingsAnswer } from "../abandoned-cart/settings-page";
import { getSettings, sampleCart, saveSettings, searchTestFriends, sendTestReminder } from "../abandoned-cart/settings.server";
import { parseReminderSettings } from "../abandoned-cart/settings-schema.server";
import { chosenAccount, connectedAccounts } from "../components/account-picker";
import { NoAccountPage } from "../components/no-account-page";
import { db } from "../db.server";
import { useT } from "../i18n/i18n";
import { listAccounts } from "../line/accounts.server";
import { authenticate } from "../shopify.server";

type AdminGraphql = Awaited<ReturnType<typeof authenticate.admin>>["admin"]["graphql"];
const graphqlOf = (graphql: AdminGraphql) => async () => (query: string, options?: { variables?: Record<string, unknown> }) =>
  graphql(query, options);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const shop = session.shop;
  const url = new URL(request.url);
  const accounts = connectedAccounts(await listAccounts(shop));
  const selected = chosenAccount(accounts, request);
  // The test panel's friend search asks this loader again with ?friendQuery=.
  const friendQuery = url.searchParams.get("friendQuery");
  if (friendQuery !== null) {
    return { kind: "friends" as const, friends: selected ? await searchTestFriends(shop, selected.id, friendQuery) : [] };
  }
  if (!selected) return { kind: "none" as const };
  const [settings, cart, quota, friends, scheduled, shopRow] = await Promise.all([
    getSettings(shop, selected.id),
    sampleCart(shop, graphqlOf(admin.graphql)),
    quotaState(selected.id),
    searchTestFriends(shop, selected.id),
    db.cartReminder.count({ where: { lineAccountId: selected.id, status: "scheduled" } }),
    db.shop.findUnique({ where: { shop }, select: { timeZone: true } }),
  ]);
  return {
    kind: "page" as const,
    accounts,
    selectedId: selected.id,
    settings,
    cart,
    quota,
    friends,
    scheduled,
    timeZone: shopRow?.timeZone ?? "Asia/Tokyo",
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const form = await request.formData();
  const lineAccountId = String(form.get("lineAccountId") ?? "");
  const answer = (body: CartSettingsAnswer, status = 200) => json(body, { status });
  switch (form.get("intent")) {
    case "save": {
      const result = await saveSettings(session.shop, lineAccountId, form);
      if ("errors" in result) return answer({ ok: false, intent: "save", errors: result.errors }, 422);
      return answer({ ok: true, intent: "save", errors: {}, cancelled: result.cancelled });
    }
    case "test": {
      // The test uses the settings on screen, saved or not.
      const parsed = parseReminderSettings(form);
      if (parsed.errors) return answer({ ok: false, intent: "test", errors: parsed.errors }, 422);
      const friendId = String(form.get("friendId") ?? "");
      const result = await sendTestReminder(session.shop, lineAccountId, friendId, parsed.data, graphqlOf(admin.graphql));
      if (!result.sent) return answer({ ok: false, intent: "test", errors: { test: result.reason }, detail: result.detail ?? null }, 422);
      return answer({ ok: true, intent: "test", errors: {} });
    }
    default:
      return answer({ ok: false, intent: null, errors: { form: "cart.error.intent" } }, 400);
  }
};

const NO_ACCOUNT_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><path d="M30 38h8l8 34h34l7-24H42" fill="none" stroke="#06c755" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"/><circle cx="50" cy="84" r="5" fill="#06c755"/><circle cx="76" cy="84" r="5" fill="#06c755"/></svg>',
)}`;

export default function AbandonedCart() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  if (data.kind !== "page") return <NoAccountPage title={t("cart.title")} messages="cart" image={NO_ACCOUNT_IMAGE} />;
  // A new account starts from its own saved settings.
  return <CartSettingsForm key={data.selectedId} data={data} />;
}
