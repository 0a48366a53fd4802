// The editor's form state and how it changes with size, template and grid: areas keep their actions by position
// when the layout changes, so switching a template does not lose what the merchant set.
import type { Area, AreaAction } from "../model";
import { areasOfTemplate, SIZES, TEMPLATES, templatesOf, type Bounds, type Layout, type MenuSize } from "../templates";
import { gridAreas } from "./layout-picker";

export type EditorState = {
  lineAccountId: string;
  name: string;
  chatBarText: string;
  size: MenuSize;
  layout: Layout;
  areas: Area[];
  grid: { columns: number; rows: number };
};

export const blankAction = (): AreaAction => ({ type: "uri", target: "url", url: "", track: true });

function withBounds(bounds: Bounds[], areas: Area[]): Area[] {
  return bounds.map((b, i) => ({ bounds: b, action: areas[i]?.action ?? blankAction() }));
}

export function initialState(menu: { lineAccountId: string; name: string; chatBarText: string; size: string; layout: string; areas: Area[] } | null, accountId: string): EditorState {
  if (menu) {
    const size = (menu.size === "compact" ? "compact" : "full") as MenuSize;
    return { lineAccountId: menu.lineAccountId, name: menu.name, chatBarText: menu.chatBarText, size, layout: menu.layout as Layout, areas: menu.areas, grid: { columns: 3, rows: 2 } };
  }
  return { lineAccountId: accountId, name: "", chatBarText: "", size: "full", layout: "full-6", areas: withBounds(areasOfTemplate("full-6"), []), grid: { columns: 3, rows: 2 } };
}

export function withTemplate(state: EditorState, layout: Layout): EditorState {
  if (layout === "grid") return withGrid(state, state.grid);
  return { ...state, layout, areas: withBounds(areasOfTemplate(layout), state.areas) };
}

export function withGrid(state: EditorState, grid: { columns: number; rows: number }): EditorState {
  if (grid.columns * grid.rows > 20) return { ...state, layout: "grid", grid };
  return { ...state, layout: "grid", grid, areas: withBounds(gridAreas(state.size, grid.columns, grid.rows), state.areas) };
}

export function withSize(state: EditorState, size: MenuSize): EditorState {
  if (size === state.size) return state;
  const next = { ...state, size };
  if (state.layout === "grid") return withGrid(next, state.grid);
  const same = templatesOf(size).find((id) => TEMPLATES[id].areas.length === state.areas.length) ?? templatesOf(size)[0]!;
  return withTemplate(next, same);
}

/** A new area for the free grid: a quarter of the width, half the height, top left. */
export function newGridArea(size: MenuSize): Area {
  const { width, height } = SIZES[size];
  return { bounds: { x: 0, y: 0, width: Math.round(width / 4), height: Math.round(height / 2) }, action: blankAction() };
}

/** What the server receives (the grid's columns and rows are the editor's own). */
export function menuInput(state: EditorState) {
  const { grid: _grid, ...input } = state;
  return input;
}
