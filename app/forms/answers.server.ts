// Answers of a form: the list page (filters) and the CSV export, streamed a page of rows at a time with
// csv-stringify (UTF-8 with a BOM, so Excel opens Japanese text as it is).
import { stringify } from "csv-stringify";
import { Readable } from "node:stream";
import { db } from "../db.server";
import { answerText, type AnswerValues, type FormField } from "./model";

export type AnswerFilter = { from?: Date | null; to?: Date | null; query?: string };

function where(shop: string, formId: string, filter: AnswerFilter) {
  return {
    shop,
    formId,
    createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) },
  };
}

export async function listAnswers(shop: string, formId: string, fields: FormField[], filter: AnswerFilter, take = 100) {
  const rows = await db.formAnswer.findMany({ where: where(shop, formId, filter), orderBy: { createdAt: "desc" }, take: 500 });
  const friends = await db.friend.findMany({ where: { shop, id: { in: [...new Set(rows.map((row) => row.friendId))] } }, select: { id: true, displayName: true } });
  const name = new Map(friends.map((friend) => [friend.id, friend.displayName ?? ""]));
  const query = filter.query?.trim().toLowerCase();
  return rows
    .map((row) => ({
      id: row.id,
      friendId: row.friendId,
      friendName: name.get(row.friendId) ?? "",
      createdAt: row.createdAt.toISOString(),
      cells: fields.map((field) => answerText(field, (row.values as AnswerValues)[field.id])),
    }))
    .filter((row) => !query || [row.friendName, ...row.cells].some((cell) => cell.toLowerCase().includes(query)))
    .slice(0, take);
}

const PAGE = 500;

/** The CSV as a stream: header row, then every answer oldest first, read by pages of 500 (keyset on id). */
export function answersCsv(shop: string, formId: string, fields: FormField[], headings: { answeredAt: string; friend: string; lineUserId: string }): ReadableStream<Uint8Array> {
  const csv = stringify({ bom: true, header: true, columns: [headings.answeredAt, headings.friend, headings.lineUserId, ...fields.map((field) => field.label)] });
  async function* rows() {
    let after: { createdAt: Date; id: string } | null = null;
    for (;;) {
      const page: { id: string; createdAt: Date; friendId: string; values: unknown }[] = await db.formAnswer.findMany({
        where: { shop, formId, ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}) },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: PAGE,
      });
      if (!page.length) return;
      const friends = await db.friend.findMany({ where: { shop, id: { in: [...new Set(page.map((row) => row.friendId))] } }, select: { id: true, displayName: true, lineUserId: true } });
      const byId = new Map(friends.map((friend) => [friend.id, friend]));
      for (const row of page) {
        const friend = byId.get(row.friendId);
        yield [row.createdAt.toISOString(), friend?.displayName ?? "", friend?.lineUserId ?? "", ...fields.map((field) => answerText(field, (row.values as AnswerValues)[field.id]))];
      }
      after = page[page.length - 1];
    }
  }
  Readable.from(rows()).on("error", (error) => csv.destroy(error)).pipe(csv);
  return Readable.toWeb(csv) as unknown as ReadableStream<Uint8Array>;
}
