// What an area does, in the merchant's words: the preview's labels and the statistics table share it.
import type { useT } from "../../i18n/i18n";
import type { AreaAction } from "../model";

export type Names = { tags: { id: string; name: string }[]; menus: { id: string; name: string }[] };

export function describeAction(t: ReturnType<typeof useT>, action: AreaAction | undefined, names: Names): string {
  if (!action) return t("richMenuPages.describe.unset");
  switch (action.type) {
    case "uri": {
      if (!action.url) return t("richMenuPages.describe.unset");
      const target = action.title || action.url.replace(/^https?:\/\//, "");
      return t("richMenuPages.describe.uri", { target });
    }
    case "message":
      return action.text ? t("richMenuPages.describe.message", { text: action.text }) : t("richMenuPages.describe.unset");
    case "tag": {
      const tag = names.tags.find((candidate) => candidate.id === action.tagId)?.name;
      if (!tag) return t("richMenuPages.describe.unset");
      return t(action.op === "add" ? "richMenuPages.describe.tagAdd" : "richMenuPages.describe.tagRemove", { tag });
    }
    case "tab": {
      const menu = names.menus.find((candidate) => candidate.id === action.richMenuId)?.name;
      return menu ? t("richMenuPages.describe.tab", { menu }) : t("richMenuPages.describe.unset");
    }
    case "liff":
      return t("richMenuPages.describe.liff", { path: action.path || "/" });
  }
}
