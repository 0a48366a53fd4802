// The friends list page's data and actions (app/routes/app.friends._index.tsx only authenticates and answers).
import { z } from "zod";
import { listAccounts } from "../line/accounts.server";
import { db } from "../db.server";
import { ensureShop } from "../shops/shops.server";
import { listTags } from "../tags/tags.server";
import { bulkAddTag, bulkRemoveTag, bulkStartScenario, MAX_SELECTED, type BulkTarget } from "./bulk.server";
import { latestImports, startFollowerImport } from "./follower-import.server";
import { countFriends, FriendQueryError, listFriends, type FriendListItem } from "./friends.server";
import { countMissingProfiles, startProfileFetch } from "./profiles.server";

/** What the list page shows: a page of friends, the filter's total, and what the filters and bulk actions offer. */
export async function friendsListPage(shop: string, url: URL) {
  const accounts = await listAccounts(shop);
  const connectedIds = accounts.filter((account) => account.status === "connected").map((account) => account.id);
  // The imports first: the page polls them every 2 s while one runs.
  const imports = await latestImports(shop, connectedIds);
  const [shopRow, tags, scenarios, missingProfiles] = await Promise.all([
    ensureShop(shop),
    listTags(shop),
    db.scenario.findMany({ where: { shop, status: "on" }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
    countMissingProfiles(shop),
  ]);
  const context = {
    timeZone: shopRow.timeZone,
    tags,
    scenarios,
    missingProfiles,
    accounts: accounts.map(({ id, displayName, status }) => ({ id, displayName, status })),
    imports,
  };
  try {
    const [page, total] = await Promise.all([listFriends(shop, url.searchParams), countFriends(shop, url.searchParams)]);
    return { status: 200, data: { ...context, ...page, total, queryError: null as string | null } };
  } catch (error) {
    if (!(error instanceof FriendQueryError)) throw error;
    const none: FriendListItem[] = [];
    return {
      status: error.status,
      data: { ...context, friends: none, nextCursor: null, segment: null, sort: "newest" as const, total: 0, queryError: error.message as string | null },
    };
  }
}

export type FriendsListData = Awaited<ReturnType<typeof friendsListPage>>["data"];

const FILTER_FIELDS = ["q", "status", "tagId", "linked", "operatorBlocked", "lineAccountId", "segment"] as const;

const bulkSchema = z.object({
  intent: z.enum(["addTag", "removeTag", "startScenario"], "friends.error.intent"),
  /** "selected": the ids in `ids` (comma separated); "all": every friend the filter fields match. */
  scope: z.enum(["selected", "all"], "friends.bulk.error.none"),
  ids: z.string().max(MAX_SELECTED * 40).default(""),
  targetId: z.string("friends.bulk.error.choose").min(1, "friends.bulk.error.choose"),
});

/** The selected ids, or the filter (only its filter fields, never paging), of a bulk request or a CSV link. */
export function bulkTarget(scope: string, ids: string, fields: Record<string, unknown>): BulkTarget | null {
  if (scope === "all") {
    const filter = new URLSearchParams();
    for (const key of FILTER_FIELDS) if (typeof fields[key] === "string" && fields[key]) filter.set(key, fields[key] as string);
    return { filter };
  }
  const list = ids.split(",").map((id) => id.trim()).filter(Boolean);
  return list.length ? { ids: list } : null;
}

/** `errors` null on success; an import answers its id, a bulk action how many friends it matched and changed. */
export type ListActionAnswer = {
  intent?: string;
  errors: Record<string, string> | null;
  importId?: string | null;
  matched?: number;
  changed?: number;
  friends?: number;
};

const START_STATUS: Record<string, number> = {
  "friends.import.error.notFound": 404,
  "friends.import.error.running": 409,
  "friends.import.error.queue": 503,
};

/** The list's actions: import followers, fetch missing profiles, and the bulk actions. Answers [body, status]. */
export async function friendsListAction(shop: string, form: FormData): Promise<[ListActionAnswer, number]> {
  const fields = Object.fromEntries(form);
  const intent = String(fields.intent ?? "");
  if (intent === "import") {
    const lineAccountId = typeof fields.lineAccountId === "string" ? fields.lineAccountId : "";
    if (!lineAccountId) return [{ errors: { lineAccountId: "friends.import.error.account" }, importId: null }, 422];
    // The import runs in the worker; the page follows it through the loader.
    const result = await startFollowerImport(shop, lineAccountId);
    if ("reason" in result) return [{ errors: { form: result.reason }, importId: result.importId ?? null }, START_STATUS[result.reason] ?? 422];
    return [{ errors: null, importId: result.importId }, 202];
  }
  if (intent === "fetchProfiles") {
    const result = await startProfileFetch(shop);
    if ("error" in result) return [{ intent, errors: { form: result.error } }, 503];
    return [{ intent, errors: null, friends: result.friends }, 202];
  }
  const parsed = bulkSchema.safeParse(fields);
  if (!parsed.success) {
    const errors = Object.fromEntries(
      parsed.error.issues.map((issue) => [String(issue.path[0] ?? "form"), issue.message.startsWith("friends.") ? issue.message : "friends.error.intent"]),
    );
    return [{ intent, errors }, 422];
  }
  const { scope, ids, targetId } = parsed.data;
  const target = bulkTarget(scope, ids, fields);
  if (!target) return [{ intent, errors: { form: "friends.bulk.error.none" } }, 422];
  let result;
  try {
    result =
      parsed.data.intent === "addTag"
        ? await bulkAddTag(shop, target, targetId)
        : parsed.data.intent === "removeTag"
          ? await bulkRemoveTag(shop, target, targetId)
          : await bulkStartScenario(shop, target, targetId);
  } catch (error) {
    if (error instanceof FriendQueryError) return [{ intent, errors: { form: "friends.queryError.title" } }, error.status];
    throw error;
  }
  if ("error" in result) return [{ intent, errors: { targetId: result.error } }, 422];
  return [{ intent, errors: null, matched: result.matched, changed: result.changed }, 200];
}
