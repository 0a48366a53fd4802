// The answers CSV: streamed, UTF-8 with a BOM, and Japanese text with commas, quotes and newlines parses back into
// the right columns. Another shop's form id gives nothing.
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { answersCsv } from "~/forms/answers.server";
import { saveForm } from "~/forms/forms.server";
import { formField } from "~/forms/model";
import { answersCsvResponse } from "~/forms/pages.server";
import { db } from "~/db.server";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount } from "../support/line";

const FIELDS = [
  formField.parse({ id: "comment", type: "longText", label: "ご意見, ご感想" }),
  formField.parse({ id: "pick", type: "multipleChoice", label: "好きなお茶", choices: [{ id: "a", label: "煎茶" }, { id: "b", label: "ほうじ茶" }] }),
  formField.parse({ id: "addr", type: "address", label: "住所" }),
];

describe("answers CSV", () => {
  it("streams every answer with a BOM, and tricky text parses back into its columns", async () => {
    const { shop } = await createShop(db);
    const { account } = await connectedAccount(db, shop);
    const saved = await saveForm(shop, null, { lineAccountId: account.id, title: "感想", fields: FIELDS });
    if (!saved.ok) throw new Error("form");
    const comment = '美味しい、でも高い, "とても"\n次も買います';
    const friends: { id: string; lineUserId: string }[] = [];
    // More than one page of 500, so the keyset paging is exercised.
    for (let i = 0; i < 3; i++) {
      friends.push(await db.friend.create({ data: { shop, lineAccountId: account.id, lineUserId: lineUserId(), displayName: `花子${i}, "さん"` } }));
    }
    await db.formAnswer.createMany({
      data: Array.from({ length: 1_203 }, (_, i) => ({
        shop,
        formId: saved.id,
        lineAccountId: account.id,
        friendId: friends[i % 3].id,
        values: { comment: `${comment}${i}`, pick: ["a", "b"], addr: { postalCode: "1500001", address: "東京都渋谷区, 神宮前" } },
        createdAt: new Date(Date.UTC(2026, 10, 1) + i * 1000),
      })),
    });
    const stream = answersCsv(shop, saved.id, FIELDS, { answeredAt: "回答日時", friend: "友だち", lineUserId: "LINEユーザーID" });
    const bytes = Buffer.from(await new Response(stream).arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes.subarray(3).toString("utf8")) as string[][];
    expect(rows[0]).toEqual(["回答日時", "友だち", "LINEユーザーID", "ご意見, ご感想", "好きなお茶", "住所"]);
    expect(rows).toHaveLength(1 + 1_203);
    expect(rows[1]).toEqual(["2026-11-01T00:00:00.000Z", '花子0, "さん"', friends[0].lineUserId, `${comment}0`, "煎茶, ほうじ茶", "〒150-0001 東京都渋谷区, 神宮前"]);
    expect(rows[1_203][3]).toBe(`${comment}1202`);
    expect(new Set(rows.slice(1).map((row) => row.length))).toEqual(new Set([6]));
  });

  it("gives another shop's form id nothing", async () => {
    const { shop } = await createShop(db);
    const { account } = await connectedAccount(db, shop);
    const saved = await saveForm(shop, null, { lineAccountId: account.id, title: "x", fields: FIELDS });
    const other = await createShop(db);
    expect(await answersCsvResponse(other.shop, saved.ok ? saved.id : "", "ja")).toBeNull();
    const mine = await answersCsvResponse(shop, saved.ok ? saved.id : "", "en");
    expect(mine?.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect((await mine!.text()).split("\n")[0]).toContain("Answered at");
  });
});
