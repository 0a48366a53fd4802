// The settings page's loader data and actions (app/routes/app.notifications.tsx).
import { db } from "../db.server";
import { createLinkCode, deleteStaff, listStaff, recentNotifications, saveStaff, sendTest } from "./staff.server";

export async function settingsData(shop: string) {
  const account = await db.lineAccount.findFirst({ where: { shop, status: "connected" }, orderBy: { createdAt: "asc" }, select: { displayName: true, botDisplayName: true } });
  return { staff: await listStaff(shop), recent: await recentNotifications(shop), accountName: account ? account.botDisplayName || account.displayName : null };
}

type Answer = { status: number; body: { ok: true; intent: string; code?: string; expiresAt?: string } | { ok: false; errors: Record<string, string> } };

export async function settingsAction(shop: string, form: FormData): Promise<Answer> {
  const id = String(form.get("id") ?? "");
  const notFound: Answer = { status: 404, body: { ok: false, errors: { form: "notifications.error.notFound" } } };
  switch (form.get("intent")) {
    case "save": {
      let raw: unknown;
      try {
        raw = JSON.parse(String(form.get("data") ?? ""));
      } catch {
        return { status: 400, body: { ok: false, errors: { form: "notifications.error.name" } } };
      }
      const result = await saveStaff(shop, id || null, raw);
      if (!result.ok) return { status: result.status, body: { ok: false, errors: result.errors as Record<string, string> } };
      return { status: 200, body: { ok: true, intent: "save" } };
    }
    case "delete":
      return (await deleteStaff(shop, id)) ? { status: 200, body: { ok: true, intent: "delete" } } : notFound;
    case "link": {
      const link = await createLinkCode(shop, id);
      return link ? { status: 200, body: { ok: true, intent: "link", code: link.code, expiresAt: link.expiresAt.toISOString() } } : notFound;
    }
    case "test": {
      const result = await sendTest(shop, id);
      return result.ok ? { status: 200, body: { ok: true, intent: "test" } } : { status: result.status, body: { ok: false, errors: { form: result.error } } };
    }
    default:
      return { status: 400, body: { ok: false, errors: { form: "notifications.error.notFound" } } };
  }
}
