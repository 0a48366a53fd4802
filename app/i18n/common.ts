// Words every admin page shares: the contextual save bar, leaving with unsaved changes, toasts.
export const en = {
  "common.save": "Save",
  "common.discard": "Discard",
  "common.saved": "Saved",
  "common.deleted": "Deleted",
  "common.leave.title": "Leave page with unsaved changes?",
  "common.leave.body": "Leaving this page will discard the changes you have not saved.",
  "common.leave.confirm": "Leave page",
  "common.leave.stay": "Stay",
} as const;

export const ja: Record<keyof typeof en, string> = {
  "common.save": "保存",
  "common.discard": "破棄",
  "common.saved": "保存しました",
  "common.deleted": "削除しました",
  "common.leave.title": "保存していない変更があります。ページを離れますか？",
  "common.leave.body": "このページを離れると、保存していない変更は失われます。",
  "common.leave.confirm": "ページを離れる",
  "common.leave.stay": "このページにとどまる",
};
