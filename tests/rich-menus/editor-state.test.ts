// The editor's layout changes: a free grid covers the whole menu in up to 20 areas, areas keep their actions by
// position when the template or size changes, and a grid over 20 cells changes nothing.
import { describe, expect, it } from "vitest";
import { gridAreas } from "~/rich-menus/components/layout-picker";
import { initialState, withGrid, withSize, withTemplate } from "~/rich-menus/components/editor-state";
import { richMenuInputSchema, SIZES } from "~/rich-menus/model";
import { menuInput } from "~/rich-menus/components/editor-state";

const covered = (areas: { x: number; y: number; width: number; height: number }[]) => areas.reduce((sum, a) => sum + a.width * a.height, 0);

describe("editor layouts", () => {
  it("a free grid tiles the menu exactly, and is valid up to 20 areas", () => {
    for (const size of ["full", "compact"] as const) {
      for (const [columns, rows] of [[1, 1], [3, 2], [4, 5], [5, 4], [7, 3]]) {
        const areas = gridAreas(size, columns, rows);
        expect(areas).toHaveLength(columns * rows);
        expect(covered(areas)).toBe(SIZES[size].width * SIZES[size].height);
        if (columns * rows > 20) continue;
        const state = withGrid(withSize(initialState(null, "acc"), size), { columns, rows });
        const filled = { ...state, name: "n", chatBarText: "c", areas: state.areas.map((a) => ({ ...a, action: { type: "message" as const, text: "x" } })) };
        const parsed = richMenuInputSchema.safeParse(menuInput(filled));
        expect(parsed.success, `${size} ${columns}x${rows} ${JSON.stringify(parsed.error?.issues[0])}`).toBe(true);
      }
    }
    const start = initialState(null, "acc");
    const tooMany = withGrid(start, { columns: 7, rows: 3 });
    expect(tooMany.areas).toEqual(start.areas);
  });

  it("keeps the areas' actions by position across templates and sizes", () => {
    let state = initialState(null, "acc");
    state = { ...state, areas: state.areas.map((a, i) => ({ ...a, action: { type: "message" as const, text: `area ${i + 1}` } })) };
    const four = withTemplate(state, "full-4");
    expect(four.areas.map((a) => a.action)).toEqual(state.areas.slice(0, 4).map((a) => a.action));
    const compact = withSize(state, "compact");
    expect(compact.layout).toBe("compact-3");
    expect(compact.areas.every((a) => a.bounds.y + a.bounds.height <= 843)).toBe(true);
    expect(compact.areas[0]!.action).toEqual({ type: "message", text: "area 1" });
    const back = withTemplate(four, "full-6");
    expect(back.areas[5]!.action).toMatchObject({ type: "uri", url: "" });
  });
});
