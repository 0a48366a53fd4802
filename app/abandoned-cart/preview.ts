// The reminder preview: the message the worker would send for a cart with the settings on screen.
import { buildReminderMessage, type ReminderFlexMessage } from "./flex";
import { withQueryParams } from "./links";
import type { PreviewCart } from "./settings.server";

/** The same builder and the same links as the send, so the preview cannot drift from what arrives. */
export function previewMessage(
  cart: PreviewCart,
  settings: { title: string; body: string; moreItemsText: string; buttonText: string; headerColor: string; buttonColor: string; queryParams: string },
): ReminderFlexMessage {
  return buildReminderMessage({
    settings,
    items: cart.items.map((item) => ({ ...item, url: withQueryParams(item.url, settings.queryParams) })),
    currency: cart.currency,
    totalPrice: cart.totalPrice,
    recoveryUrl: withQueryParams(cart.recoveryUrl, settings.queryParams),
  });
}
