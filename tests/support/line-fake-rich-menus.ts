// The LINE fake's rich-menu endpoints (Messaging API reference, "Rich menu"): create / validate / get / list /
// delete, image upload on the data API (immutable: one upload), default set / get / cancel, per-user link /
// unlink, bulk link / unlink (≤ 500 users, asynchronous: applied later), batch control (link from → to, unlink,
// unlinkAll; asynchronous with a progress endpoint and a resume key), aliases, rich-menu insight, and LINE's hourly
// limits (create / delete / alias delete / batch progress 100 an hour, batch 3 an hour) and the list's 10 a second.
// It keeps each user's menu over time so tests can check that nobody was on a menu when it was deleted.
import { randomUUID } from "node:crypto";
import type { Ctx, Handler, Route, State } from "./line-fake";
import { fail, invalidBody, isRecord, jsonBody } from "./line-fake";

export type HourlyRichMenuEndpoint = "create" | "delete" | "deleteAlias" | "batchProgress" | "batch";
/** LINE's hourly limits per channel (Messaging API reference, "Rate limits"); null turns one off. */
export const RICH_MENU_HOURLY_LIMITS: Record<HourlyRichMenuEndpoint, number | null> = {
  create: 100,
  delete: 100,
  deleteAlias: 100,
  batchProgress: 100,
  batch: 3,
};

export interface FakeRichMenu {
  richMenuId: string;
  body: Record<string, unknown>;
  image?: { type: string; width: number; height: number; bytes: number };
  createdAt: number;
  deletedAt?: number;
}

export interface FakeBatch {
  requestId: string;
  resumeRequestKey?: string;
  operations: Record<string, unknown>[];
  phase: "ongoing" | "succeeded" | "failed";
  acceptedTime: number;
  completedTime?: number;
}

/** One user's menu from `at` on (null: no per-user link, the default applies). */
export interface MenuChange {
  at: number;
  menuId: string | null;
}

export interface RichMenuChannelState {
  menus: Map<string, FakeRichMenu>;
  defaultMenuId: string | null;
  links: Map<string, string>;
  aliases: Map<string, string>;
  batches: Map<string, FakeBatch>;
  history: Map<string, MenuChange[]>;
  /** Users holding a menu (per-user link) at the moment it was deleted; users on a deleted default. */
  deletedWhileHeld: { menuId: string; users: number; at: number }[];
  insights: Map<string, { impression?: { metrics: { count: number; uniqueUsers: number } }; clicks?: { bounds: Record<string, number>; metrics: { count: number; uniqueUsers: number } }[] }>;
  /** Batches to fail (their operations left undone) before the next ones succeed. */
  failBatches: number;
}

export interface RichMenuTiming {
  /** How long after its 202 a bulk link/unlink is applied. */
  bulkMs: number;
  /** How long a batch takes: a fixed part and a part per 1,000 users it moves. */
  batchMs: number;
  batchMsPerThousand: number;
}

export const DEFAULT_RICH_MENU_TIMING: RichMenuTiming = { bulkMs: 30, batchMs: 50, batchMsPerThousand: 5 };

export interface RichMenuFakeState {
  channels: Map<string, RichMenuChannelState>;
  hourly: Record<HourlyRichMenuEndpoint, number | null>;
  /** Calls per channel and endpoint in the last hour (fake clock). */
  calls: Map<string, number[]>;
  timing: RichMenuTiming;
}

export function newRichMenuState(): RichMenuFakeState {
  return { channels: new Map(), hourly: { ...RICH_MENU_HOURLY_LIMITS }, calls: new Map(), timing: { ...DEFAULT_RICH_MENU_TIMING } };
}

export function channelMenus(state: State, channelId: string): RichMenuChannelState {
  let found = state.richMenus.channels.get(channelId);
  if (!found) {
    found = {
      menus: new Map(),
      defaultMenuId: null,
      links: new Map(),
      aliases: new Map(),
      batches: new Map(),
      history: new Map(),
      deletedWhileHeld: [],
      insights: new Map(),
      failBatches: 0,
    };
    state.richMenus.channels.set(channelId, found);
  }
  return found;
}

const mine = (state: State, ctx: Ctx) => channelMenus(state, ctx.channel!.channelId);

const RATE_LIMITED = { message: "The API rate limit has been exceeded. Try again later." };
const HOUR_MS = 3_600_000;

function takeHourly(state: State, ctx: Ctx, endpoint: HourlyRichMenuEndpoint) {
  const limit = state.richMenus.hourly[endpoint];
  if (limit === null) return;
  const key = `${ctx.channel!.channelId}:${endpoint}`;
  const now = state.now();
  const calls = (state.richMenus.calls.get(key) ?? []).filter((at) => at > now - HOUR_MS);
  if (calls.length >= limit) fail(429, RATE_LIMITED);
  calls.push(now);
  state.richMenus.calls.set(key, calls);
}

function recordLink(state: State, menus: RichMenuChannelState, userId: string, menuId: string | null) {
  const current = menus.links.get(userId) ?? null;
  if (menuId === null) menus.links.delete(userId);
  else menus.links.set(userId, menuId);
  if (current === menuId) return;
  const history = menus.history.get(userId) ?? [];
  history.push({ at: state.now(), menuId });
  menus.history.set(userId, history);
}

function liveMenu(menus: RichMenuChannelState, id: string): FakeRichMenu | undefined {
  const menu = menus.menus.get(id);
  return menu && menu.deletedAt === undefined ? menu : undefined;
}

// ------------------------------------------------------------ the rich menu object

const ACTION_TYPES = new Set(["uri", "message", "postback", "datetimepicker", "richmenuswitch", "camera", "cameraRoll", "location", "postback"]);

function checkMenu(body: Record<string, unknown>) {
  const details: { message: string; property: string }[] = [];
  const size = isRecord(body.size) ? body.size : {};
  const width = size.width;
  const height = size.height;
  if (typeof width !== "number" || width < 800 || width > 2500) details.push({ message: "Must be between 800 and 2500", property: "size.width" });
  if (typeof height !== "number" || height < 250) details.push({ message: "Must be 250 or more", property: "size.height" });
  if (typeof width === "number" && typeof height === "number" && width / height < 1.45) {
    details.push({ message: "The aspect ratio (width / height) must be 1.45 or more", property: "size" });
  }
  if (typeof body.selected !== "boolean") details.push({ message: "Must be specified", property: "selected" });
  if (typeof body.name !== "string" || body.name.length < 1 || body.name.length > 300) details.push({ message: "Length must be between 1 and 300", property: "name" });
  if (typeof body.chatBarText !== "string" || [...body.chatBarText].length < 1 || [...body.chatBarText].length > 14) {
    details.push({ message: "Length must be between 1 and 14", property: "chatBarText" });
  }
  const areas = body.areas;
  if (!Array.isArray(areas) || areas.length > 20) {
    details.push({ message: "Size must be between 0 and 20", property: "areas" });
  } else {
    areas.forEach((area: unknown, i) => {
      const at = `areas[${i}]`;
      const bounds = isRecord(area) && isRecord(area.bounds) ? area.bounds : null;
      const n = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : null);
      const [x, y, w, h] = bounds ? [n(bounds.x), n(bounds.y), n(bounds.width), n(bounds.height)] : [null, null, null, null];
      if (x === null || y === null || !w || !h) details.push({ message: "Invalid bounds", property: `${at}.bounds` });
      else if (typeof width === "number" && typeof height === "number" && (x + w > width || y + h > height)) {
        details.push({ message: "The bounds must be inside the rich menu", property: `${at}.bounds` });
      }
      const action = isRecord(area) && isRecord(area.action) ? area.action : null;
      if (!action || typeof action.type !== "string" || !ACTION_TYPES.has(action.type)) {
        details.push({ message: "Invalid action type", property: `${at}.action.type` });
        return;
      }
      if (action.type === "uri" && (typeof action.uri !== "string" || action.uri.length > 1000 || !/^(https?|tel|line):/i.test(action.uri))) {
        details.push({ message: "Must be an http, https, tel or line URI of at most 1000 characters", property: `${at}.action.uri` });
      }
      if (action.type === "message" && (typeof action.text !== "string" || action.text.length < 1 || action.text.length > 300)) {
        details.push({ message: "Length must be between 1 and 300", property: `${at}.action.text` });
      }
      if ((action.type === "postback" || action.type === "richmenuswitch") && (typeof action.data !== "string" || action.data.length > 300)) {
        details.push({ message: "Length must be between 0 and 300", property: `${at}.action.data` });
      }
      if (action.type === "richmenuswitch" && (typeof action.richMenuAliasId !== "string" || !/^[A-Za-z0-9_-]{1,32}$/.test(action.richMenuAliasId))) {
        details.push({ message: "Invalid rich menu alias ID", property: `${at}.action.richMenuAliasId` });
      }
      if (action.label !== undefined && (typeof action.label !== "string" || action.label.length > 20)) {
        details.push({ message: "Length must be between 0 and 20", property: `${at}.action.label` });
      }
    });
  }
  if (details.length) invalidBody(details);
}

const validateMenu: Handler = (_state, ctx) => {
  checkMenu(jsonBody(ctx));
  return { status: 200, body: {} };
};

const createMenu: Handler = (state, ctx) => {
  takeHourly(state, ctx, "create");
  const body = jsonBody(ctx);
  checkMenu(body);
  const menus = mine(state, ctx);
  const alive = [...menus.menus.values()].filter((m) => m.deletedAt === undefined).length;
  if (alive >= 1000) fail(400, { message: "The maximum number of rich menus has been reached" });
  const richMenuId = `richmenu-${randomUUID().replace(/-/g, "")}`;
  menus.menus.set(richMenuId, { richMenuId, body, createdAt: state.now() });
  return { status: 200, body: { richMenuId } };
};

const view = (menu: FakeRichMenu) => ({ richMenuId: menu.richMenuId, ...menu.body });

const getMenu: Handler = (state, ctx, [id = ""]) => {
  const menu = liveMenu(mine(state, ctx), id);
  if (!menu) fail(404, { message: "Not found" });
  return { status: 200, body: view(menu) };
};

const listMenus: Handler = (state, ctx) => ({
  status: 200,
  body: { richmenus: [...mine(state, ctx).menus.values()].filter((m) => m.deletedAt === undefined).map(view) },
});

const deleteMenu: Handler = (state, ctx, [id = ""]) => {
  takeHourly(state, ctx, "delete");
  const menus = mine(state, ctx);
  const menu = liveMenu(menus, id);
  if (!menu) fail(404, { message: "Not found" });
  menu.deletedAt = state.now();
  // Who was on it at that moment: per-user links, and every follower without one when it was the default.
  let users = 0;
  for (const [userId, menuId] of [...menus.links]) {
    if (menuId !== id) continue;
    users++;
    recordLink(state, menus, userId, null);
  }
  if (menus.defaultMenuId === id) {
    const followers = ctx.channel!.followers.filter((userId) => !menus.links.has(userId)).length;
    users += followers;
    menus.defaultMenuId = null;
  }
  if (users) menus.deletedWhileHeld.push({ menuId: id, users, at: state.now() });
  for (const [aliasId, menuId] of menus.aliases) if (menuId === id) menus.aliases.delete(aliasId);
  return { status: 200, body: {} };
};

// ------------------------------------------------------------ the image (data API)

function imageSize(type: string, bytes: Buffer): { width: number; height: number } | null {
  if (type === "image/png") {
    if (bytes.length < 24 || bytes.toString("ascii", 1, 4) !== "PNG") return null;
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (type === "image/jpeg") {
    if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
    let at = 2;
    while (at + 9 < bytes.length) {
      if (bytes[at] !== 0xff) return null;
      const marker = bytes[at + 1]!;
      const length = bytes.readUInt16BE(at + 2);
      // Start-of-frame markers carry the dimensions (SOF0–SOF15 but DHT, JPG and DAC).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
      }
      at += 2 + length;
    }
  }
  return null;
}

const uploadImage: Handler = (state, ctx, [id = ""]) => {
  const menus = mine(state, ctx);
  const menu = liveMenu(menus, id);
  if (!menu) fail(404, { message: "Not found" });
  if (menu.image) fail(400, { message: "An image has already been uploaded to the richmenu" });
  const type = String(ctx.headers["content-type"] ?? "").split(";")[0]!.trim();
  if (type !== "image/jpeg" && type !== "image/png") fail(415, { message: "Unsupported media type: JPEG or PNG only" });
  const bytes = ctx.rawBody ?? Buffer.alloc(0);
  if (bytes.length > 1024 * 1024) fail(413, { message: "Payload too large: the image must be 1 MB or smaller" });
  const size = imageSize(type, bytes);
  if (!size) fail(400, { message: "The image could not be read" });
  const wanted = menu.body.size as { width: number; height: number };
  if (size.width < 800 || size.width > 2500 || size.height < 250 || size.width / size.height < 1.45) {
    fail(400, { message: "The image does not meet the rich menu image requirements" });
  }
  if (size.width !== wanted.width || size.height !== wanted.height) {
    fail(400, { message: `The image size (${size.width}x${size.height}) must match the rich menu size (${wanted.width}x${wanted.height})` });
  }
  menu.image = { type, ...size, bytes: bytes.length };
  return { status: 200, body: {} };
};

function usable(menus: RichMenuChannelState, id: string): FakeRichMenu {
  const menu = liveMenu(menus, id);
  if (!menu) fail(404, { message: "Not found" });
  // A menu without an image cannot be linked or made the default.
  if (!menu.image) fail(400, { message: "An image has not been uploaded to the rich menu" });
  return menu;
}

// ------------------------------------------------------------ default and per-user links

const setDefault: Handler = (state, ctx, [id = ""]) => {
  const menus = mine(state, ctx);
  usable(menus, id);
  menus.defaultMenuId = id;
  return { status: 200, body: {} };
};

const getDefault: Handler = (state, ctx) => {
  const menus = mine(state, ctx);
  if (!menus.defaultMenuId) fail(404, { message: "Not found" });
  return { status: 200, body: { richMenuId: menus.defaultMenuId } };
};

const cancelDefault: Handler = (state, ctx) => {
  mine(state, ctx).defaultMenuId = null;
  return { status: 200, body: {} };
};

const USER_ID = /^U[0-9a-f]{32}$/;

const linkUser: Handler = (state, ctx, [userId = "", id = ""]) => {
  const menus = mine(state, ctx);
  if (!USER_ID.test(userId)) fail(400, { message: "The value for the 'userId' parameter is invalid" });
  usable(menus, id);
  recordLink(state, menus, userId, id);
  return { status: 200, body: {} };
};

const unlinkUser: Handler = (state, ctx, [userId = ""]) => {
  const menus = mine(state, ctx);
  if (!USER_ID.test(userId)) fail(400, { message: "The value for the 'userId' parameter is invalid" });
  recordLink(state, menus, userId, null);
  return { status: 200, body: {} };
};

const userMenu: Handler = (state, ctx, [userId = ""]) => {
  const menus = mine(state, ctx);
  const id = menus.links.get(userId) ?? menus.defaultMenuId;
  if (!id) fail(404, { message: "the user has no richmenu" });
  return { status: 200, body: { richMenuId: id } };
};

function userIdsOf(body: Record<string, unknown>): string[] {
  const ids = body.userIds;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > 500) invalidBody([{ message: "Size must be between 1 and 500", property: "userIds" }]);
  const bad = ids.findIndex((id) => typeof id !== "string" || !USER_ID.test(id));
  if (bad >= 0) invalidBody([{ message: "Invalid user ID", property: `userIds[${bad}]` }]);
  return ids as string[];
}

function later(state: State, ms: number, work: () => void) {
  const timer = setTimeout(() => {
    state.timers.delete(timer);
    work();
  }, ms);
  state.timers.add(timer);
}

// Bulk link/unlink answer 202 at once and are applied later: LINE says to check with "get rich menu ID of user".
const bulkLink: Handler = (state, ctx) => {
  const body = jsonBody(ctx);
  const menus = mine(state, ctx);
  const userIds = userIdsOf(body);
  const id = typeof body.richMenuId === "string" ? body.richMenuId : "";
  usable(menus, id);
  later(state, state.richMenus.timing.bulkMs, () => {
    if (!liveMenu(menus, id)) return; // deleted meanwhile: LINE drops the link
    for (const userId of userIds) recordLink(state, menus, userId, id);
  });
  return { status: 202, body: {} };
};

const bulkUnlink: Handler = (state, ctx) => {
  const menus = mine(state, ctx);
  const userIds = userIdsOf(jsonBody(ctx));
  later(state, state.richMenus.timing.bulkMs, () => {
    for (const userId of userIds) recordLink(state, menus, userId, null);
  });
  return { status: 202, body: {} };
};

// ------------------------------------------------------------ batch control

function checkOperations(menus: RichMenuChannelState, body: Record<string, unknown>): Record<string, unknown>[] {
  const operations = body.operations;
  if (!Array.isArray(operations) || operations.length < 1 || operations.length > 1000) {
    invalidBody([{ message: "Size must be between 1 and 1000", property: "operations" }]);
  }
  const details: { message: string; property: string }[] = [];
  operations.forEach((op: unknown, i) => {
    const at = `operations[${i}]`;
    if (!isRecord(op)) return details.push({ message: "Invalid operation", property: at });
    if (op.type === "link") {
      if (typeof op.from !== "string" || !liveMenu(menus, op.from)) details.push({ message: "Rich menu not found", property: `${at}.from` });
      if (typeof op.to !== "string" || !liveMenu(menus, op.to)?.image) details.push({ message: "Rich menu not found or without image", property: `${at}.to` });
    } else if (op.type === "unlink") {
      if (typeof op.from !== "string" || !liveMenu(menus, op.from)) details.push({ message: "Rich menu not found", property: `${at}.from` });
    } else if (op.type !== "unlinkAll") {
      details.push({ message: "Must be link, unlink or unlinkAll", property: `${at}.type` });
    }
    return undefined;
  });
  const key = body.resumeRequestKey;
  if (key !== undefined && (typeof key !== "string" || !/^[0-9a-zA-Z_-]{1,100}$/.test(key))) {
    details.push({ message: "Invalid resumeRequestKey", property: "resumeRequestKey" });
  }
  if (details.length) invalidBody(details);
  return operations as Record<string, unknown>[];
}

const validateBatch: Handler = (state, ctx) => {
  checkOperations(mine(state, ctx), jsonBody(ctx));
  return { status: 200, body: {} };
};

function runBatch(state: State, menus: RichMenuChannelState, batch: FakeBatch) {
  const failing = menus.failBatches > 0;
  if (failing) menus.failBatches--;
  const moved = [...menus.links.values()].filter((id) => batch.operations.some((op) => op.from === id)).length;
  const ms = state.richMenus.timing.batchMs + Math.ceil((moved / 1000) * state.richMenus.timing.batchMsPerThousand);
  later(state, ms, () => {
    if (failing) {
      // Half the users done, the rest left: LINE reports "failed" and a retry with the key redoes the rest.
      let skip = true;
      for (const op of batch.operations) {
        for (const [userId, id] of [...menus.links]) {
          skip = !skip;
          if (skip) continue;
          if (op.type === "link" && id === op.from && liveMenu(menus, String(op.to))) recordLink(state, menus, userId, String(op.to));
        }
      }
      batch.phase = "failed";
      batch.completedTime = state.now();
      return;
    }
    for (const op of batch.operations) {
      for (const [userId, id] of [...menus.links]) {
        if (op.type === "link" && id === op.from && liveMenu(menus, String(op.to))) recordLink(state, menus, userId, String(op.to));
        if (op.type === "unlink" && id === op.from) recordLink(state, menus, userId, null);
        if (op.type === "unlinkAll") recordLink(state, menus, userId, null);
      }
    }
    batch.phase = "succeeded";
    batch.completedTime = state.now();
  });
}

const batchHandler: Handler = (state, ctx) => {
  const body = jsonBody(ctx);
  const menus = mine(state, ctx);
  const key = typeof body.resumeRequestKey === "string" ? body.resumeRequestKey : undefined;
  const earlier = key ? [...menus.batches.values()].find((b) => b.resumeRequestKey === key) : undefined;
  // The same resume key while that batch runs or after it succeeded: the same request, nothing done twice.
  if (earlier && earlier.phase !== "failed") return { status: 202, body: {}, headers: { "x-line-request-id": earlier.requestId } };
  takeHourly(state, ctx, "batch");
  const operations = checkOperations(menus, body);
  const batch: FakeBatch = { requestId: ctx.requestId, resumeRequestKey: key, operations, phase: "ongoing", acceptedTime: state.now() };
  menus.batches.set(batch.requestId, batch);
  runBatch(state, menus, batch);
  return { status: 202, body: {} };
};

const batchProgress: Handler = (state, ctx) => {
  takeHourly(state, ctx, "batchProgress");
  const batch = mine(state, ctx).batches.get(ctx.query.requestId ?? "");
  if (!batch) fail(404, { message: "Not found" });
  return {
    status: 200,
    body: {
      phase: batch.phase,
      acceptedTime: new Date(batch.acceptedTime).toISOString(),
      ...(batch.completedTime ? { completedTime: new Date(batch.completedTime).toISOString() } : {}),
    },
  };
};

// ------------------------------------------------------------ aliases

const ALIAS_ID = /^[A-Za-z0-9_-]{1,32}$/;

const createAlias: Handler = (state, ctx) => {
  const body = jsonBody(ctx);
  const menus = mine(state, ctx);
  const aliasId = body.richMenuAliasId;
  if (typeof aliasId !== "string" || !ALIAS_ID.test(aliasId)) invalidBody([{ message: "Invalid rich menu alias ID", property: "richMenuAliasId" }]);
  if (menus.aliases.has(aliasId)) fail(400, { message: "conflict richmenu alias id" });
  if (menus.aliases.size >= 1000) fail(400, { message: "The maximum number of aliases has been reached" });
  usable(menus, String(body.richMenuId));
  menus.aliases.set(aliasId, String(body.richMenuId));
  return { status: 200, body: {} };
};

const updateAlias: Handler = (state, ctx, [aliasId = ""]) => {
  const menus = mine(state, ctx);
  if (!menus.aliases.has(aliasId)) fail(404, { message: "Not found" });
  const body = jsonBody(ctx);
  usable(menus, String(body.richMenuId));
  menus.aliases.set(aliasId, String(body.richMenuId));
  return { status: 200, body: {} };
};

const deleteAlias: Handler = (state, ctx, [aliasId = ""]) => {
  takeHourly(state, ctx, "deleteAlias");
  const menus = mine(state, ctx);
  if (!menus.aliases.delete(aliasId)) fail(404, { message: "Not found" });
  return { status: 200, body: {} };
};

const getAlias: Handler = (state, ctx, [aliasId = ""]) => {
  const id = mine(state, ctx).aliases.get(aliasId);
  if (!id) fail(404, { message: "Not found" });
  return { status: 200, body: { richMenuAliasId: aliasId, richMenuId: id } };
};

const listAliases: Handler = (state, ctx) => ({
  status: 200,
  body: { aliases: [...mine(state, ctx).aliases].map(([richMenuAliasId, richMenuId]) => ({ richMenuAliasId, richMenuId })) },
});

// ------------------------------------------------------------ insight

const LINE_DATE = /^\d{8}$/;

const insightSummary: Handler = (state, ctx, [id = ""]) => {
  const { from, to } = ctx.query;
  if (!from || !to || !LINE_DATE.test(from) || !LINE_DATE.test(to) || to < from) fail(400, { message: "The value for the 'from' or 'to' parameter is invalid" });
  const menus = mine(state, ctx);
  if (!menus.menus.has(id)) fail(404, { message: "Not found" });
  const stats = menus.insights.get(id);
  // Below the privacy threshold only the id is returned.
  if (!stats) return { status: 200, body: { richMenuId: id } };
  return { status: 200, body: { richMenuId: id, metricsFrom: from, metricsTo: to, ...stats } };
};

const M = "([^/]+)";
export const richMenuRoutes: (Route & { listLimited?: boolean })[] = [
  { method: "POST", pattern: /^\/v2\/bot\/richmenu\/validate$/, auth: true, rateLimit: "richMenu", handler: validateMenu },
  { method: "POST", pattern: /^\/v2\/bot\/richmenu\/validate\/batch$/, auth: true, rateLimit: "richMenu", handler: validateBatch },
  { method: "POST", pattern: /^\/v2\/bot\/richmenu\/batch$/, auth: true, handler: batchHandler },
  { method: "GET", pattern: /^\/v2\/bot\/richmenu\/progress\/batch$/, auth: true, handler: batchProgress },
  { method: "POST", pattern: /^\/v2\/bot\/richmenu\/bulk\/link$/, auth: true, rateLimit: "richMenu", handler: bulkLink },
  { method: "POST", pattern: /^\/v2\/bot\/richmenu\/bulk\/unlink$/, auth: true, rateLimit: "richMenu", handler: bulkUnlink },
  { method: "GET", pattern: /^\/v2\/bot\/richmenu\/list$/, auth: true, rateLimit: "richMenuList", handler: listMenus },
  { method: "POST", pattern: /^\/v2\/bot\/richmenu\/alias$/, auth: true, rateLimit: "richMenu", handler: createAlias },
  { method: "GET", pattern: /^\/v2\/bot\/richmenu\/alias\/list$/, auth: true, rateLimit: "richMenu", handler: listAliases },
  { method: "POST", pattern: new RegExp(`^/v2/bot/richmenu/alias/${M}$`), auth: true, rateLimit: "richMenu", handler: updateAlias },
  { method: "DELETE", pattern: new RegExp(`^/v2/bot/richmenu/alias/${M}$`), auth: true, handler: deleteAlias },
  { method: "GET", pattern: new RegExp(`^/v2/bot/richmenu/alias/${M}$`), auth: true, rateLimit: "richMenu", handler: getAlias },
  { method: "POST", pattern: /^\/v2\/bot\/richmenu$/, auth: true, handler: createMenu },
  { method: "POST", pattern: new RegExp(`^/v2/bot/richmenu/${M}/content$`), auth: true, rateLimit: "richMenu", handler: uploadImage },
  { method: "GET", pattern: new RegExp(`^/v2/bot/richmenu/${M}$`), auth: true, rateLimit: "richMenu", handler: getMenu },
  { method: "DELETE", pattern: new RegExp(`^/v2/bot/richmenu/${M}$`), auth: true, handler: deleteMenu },
  { method: "POST", pattern: new RegExp(`^/v2/bot/user/all/richmenu/${M}$`), auth: true, rateLimit: "richMenu", handler: setDefault },
  { method: "GET", pattern: /^\/v2\/bot\/user\/all\/richmenu$/, auth: true, rateLimit: "richMenu", handler: getDefault },
  { method: "DELETE", pattern: /^\/v2\/bot\/user\/all\/richmenu$/, auth: true, rateLimit: "richMenu", handler: cancelDefault },
  { method: "POST", pattern: new RegExp(`^/v2/bot/user/${M}/richmenu/${M}$`), auth: true, rateLimit: "richMenu", handler: linkUser },
  { method: "DELETE", pattern: new RegExp(`^/v2/bot/user/${M}/richmenu$`), auth: true, rateLimit: "richMenu", handler: unlinkUser },
  { method: "GET", pattern: new RegExp(`^/v2/bot/user/${M}/richmenu$`), auth: true, rateLimit: "richMenu", handler: userMenu },
  { method: "GET", pattern: new RegExp(`^/v2/bot/insight/richmenu/${M}/summary$`), auth: true, handler: insightSummary },
];

/** Test helpers on the fake (LineFake.richMenus). */
export function richMenuHelpers(state: State) {
  return {
    state: (channelId: string) => channelMenus(state, channelId),
    /** The LINE menu a user sees now: their per-user link, else the default. */
    menuOf(channelId: string, userId: string): string | null {
      const menus = channelMenus(state, channelId);
      return menus.links.get(userId) ?? menus.defaultMenuId;
    },
    /** Users linked to each LINE menu now. */
    linkCounts(channelId: string): Map<string, number> {
      const counts = new Map<string, number>();
      for (const id of channelMenus(state, channelId).links.values()) counts.set(id, (counts.get(id) ?? 0) + 1);
      return counts;
    },
    /** Every moment a menu was deleted while users were on it. */
    onDeletedMenu(channelId: string) {
      return channelMenus(state, channelId).deletedWhileHeld;
    },
    /** A user switching tabs (richmenuswitch): linked to the alias's menu by LINE itself. */
    switchTab(channelId: string, userId: string, aliasId: string) {
      const menus = channelMenus(state, channelId);
      const id = menus.aliases.get(aliasId);
      if (!id) throw new Error(`LINE fake: no alias ${aliasId}`);
      recordLink(state, menus, userId, id);
    },
    setInsight(channelId: string, lineMenuId: string, stats: RichMenuChannelState["insights"] extends Map<string, infer S> ? S : never) {
      channelMenus(state, channelId).insights.set(lineMenuId, stats);
    },
    /** The next `count` batches fail half-way (their resume key redoes the rest). */
    failNextBatches(channelId: string, count: number) {
      channelMenus(state, channelId).failBatches += count;
    },
    setHourlyLimits(limits: Partial<Record<HourlyRichMenuEndpoint, number | null>>) {
      state.richMenus.hourly = { ...state.richMenus.hourly, ...limits };
      state.richMenus.calls.clear();
    },
    setTiming(timing: Partial<RichMenuTiming>) {
      state.richMenus.timing = { ...state.richMenus.timing, ...timing };
    },
  };
}
