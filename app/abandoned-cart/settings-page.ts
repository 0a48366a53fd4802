// The cart-reminder settings page's shapes and helpers, shared by its route and its components (browser-safe).
import type { PreviewCart, TestFriend } from "./settings.server";
import type { ReminderSettings } from "./settings";

/** The form's values: what is stored, with the number fields as the text the merchant types. */
export type CartSettingsFormState = Omit<ReminderSettings, "delayMinutes" | "attributionDays"> & {
  delayMinutes: string;
  attributionDays: string;
};

export function formStateOf(settings: ReminderSettings): CartSettingsFormState {
  return {
    enabled: settings.enabled,
    delayMinutes: String(settings.delayMinutes),
    tagsToAdd: settings.tagsToAdd,
    tagsToRemove: settings.tagsToRemove,
    title: settings.title,
    body: settings.body,
    moreItemsText: settings.moreItemsText,
    buttonText: settings.buttonText,
    headerColor: settings.headerColor,
    buttonColor: settings.buttonColor,
    queryParams: settings.queryParams,
    quietHoursEnabled: settings.quietHoursEnabled,
    quietStart: settings.quietStart,
    quietEnd: settings.quietEnd,
    attributionDays: String(settings.attributionDays),
  };
}

/** The page's data for one connected account (the loader's answer, as the browser receives it). */
export type CartSettingsPageData = {
  accounts: { id: string; displayName: string; botName: string | null }[];
  selectedId: string;
  settings: ReminderSettings;
  cart: PreviewCart;
  quota: { exhausted: boolean };
  friends: Pick<TestFriend, "id" | "displayName">[];
  /** Reminders waiting to be sent: turning the reminders off cancels them. */
  scheduled: number;
  timeZone: string;
};

/** The friend search of the test panel (the loader asked with ?friendQuery=). */
export type FriendSearchAnswer = { kind: "friends"; friends: Pick<TestFriend, "id" | "displayName">[] };

/** The page action's answer. Errors are i18n keys by field; `test` is why a test was not sent. */
export type CartSettingsAnswer =
  | {
      ok: true;
      intent: "save" | "test";
      errors: Record<string, never>;
      /** Reminders cancelled because the save turned them off. */
      cancelled?: number;
    }
  | { ok: false; intent: "save" | "test" | null; errors: Record<string, string>; detail?: string | null };

/** The form as the action reads it: one field per value, one entry per tag. */
export function toFormData(state: CartSettingsFormState, extra: Record<string, string>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(extra)) form.set(name, value);
  for (const [name, value] of Object.entries(state)) {
    if (Array.isArray(value)) for (const item of value) form.append(name, item);
    else form.set(name, String(value));
  }
  return form;
}
