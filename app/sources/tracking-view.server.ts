// What the tracking-links page and its CSV read from a request: archived or active links (?view=archived) and the
// period of their report (?from=&to=, app/components/date-range.ts) in the shop's time zone.
import { stringify } from "csv-stringify/sync";
import { parseRange } from "../components/date-range";
import { shopCalendar } from "../components/date-range.server";
import { translate, type Locale, type MessageKey } from "../i18n/messages";
import { listAccounts } from "../line/accounts.server";
import {
  countArchivedTrackingLinks,
  listTrackingLinks,
  POSTBACK_METHODS,
  POSTBACK_VARIABLES,
  TRACKING_NAME_MAX,
  TRACKING_TAG_MAX,
  TRACKING_TAGS_MAX,
  URL_MAX,
} from "./tracking-admin.server";

async function request(shop: string, url: URL) {
  const calendar = await shopCalendar(shop);
  const range = parseRange(url.searchParams, calendar.today);
  const archived = url.searchParams.get("view") === "archived";
  const links = await listTrackingLinks(shop, { archived, period: { from: range.from, to: range.to, timeZone: calendar.timeZone } });
  return { calendar, range, archived, links };
}

export async function trackingLinksView(shop: string, url: URL) {
  const [{ calendar, range, archived, links }, accounts, archivedCount] = await Promise.all([
    request(shop, url),
    listAccounts(shop),
    countArchivedTrackingLinks(shop),
  ]);
  // Without a LIFF app the click cannot be tied to the LINE user who follows (app/sources/tracking-links.server.ts).
  const attributes = new Map(accounts.map((account) => [account.id, Boolean(account.liffId && account.loginChannelId)]));
  return {
    archived,
    archivedCount,
    range,
    today: calendar.today,
    timeZone: calendar.timeZone,
    accounts: accounts.filter((account) => account.status === "connected").map((account) => ({ id: account.id, displayName: account.displayName })),
    links: links.map((link) => ({ ...link, attributes: attributes.get(link.lineAccountId) ?? false })),
    // Limits travel with the data: .server modules are not part of the browser bundle.
    limits: { name: TRACKING_NAME_MAX, tags: TRACKING_TAGS_MAX, tag: TRACKING_TAG_MAX, url: URL_MAX },
    variables: POSTBACK_VARIABLES,
    methods: POSTBACK_METHODS,
  };
}

/** The table of the page for the period, as CSV (UTF-8 with a BOM for Excel), one revenue column per currency. */
export async function trackingLinksCsv(shop: string, url: URL, locale: Locale) {
  const { range, links } = await request(shop, url);
  const t = (key: MessageKey) => translate(locale, key);
  const currencies = [...new Set(links.flatMap((link) => link.report.revenue.map((r) => r.currency)))].sort();
  const header = [
    t("trackingLinks.column.name"),
    t("trackingLinks.form.account"),
    t("trackingLinks.column.url"),
    t("trackingLinks.form.tags"),
    t("trackingLinks.column.clicks"),
    t("trackingLinks.column.linked"),
    t("trackingLinks.column.friends"),
    t("trackingLinks.column.blocked"),
    t("trackingLinks.column.orders"),
    ...currencies.map((currency) => `${t("trackingLinks.column.revenue")} (${currency})`),
    t("trackingLinks.csv.postbacksSent"),
    t("trackingLinks.csv.postbacksFailed"),
    t("trackingLinks.csv.postbacksPending"),
  ];
  const rows = links.map((link) => [
    link.name,
    link.accountName,
    link.url,
    link.tagNames.join(", "),
    link.report.clicks,
    link.report.linked,
    link.report.friends,
    link.report.blocked,
    link.report.orders,
    ...currencies.map((currency) => link.report.revenue.find((r) => r.currency === currency)?.amount ?? "0"),
    link.report.postbacksSent,
    link.report.postbacksFailed,
    link.report.postbacksPending,
  ]);
  return { range, csv: stringify([header, ...rows], { bom: true }) };
}
