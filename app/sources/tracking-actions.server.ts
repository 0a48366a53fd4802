// The tracking-links page's action: create, update, archive (each keyed by the shop), and the postback preview.
import { json } from "@remix-run/node";
import { archiveTrackingLink, createTrackingLink, postbackPreview, updateTrackingLink, type TrackingLinkInput } from "./tracking-admin.server";

function linkInput(form: FormData): TrackingLinkInput {
  const text = (name: string) => String(form.get(name) ?? "");
  return {
    name: text("name"),
    lineAccountId: text("lineAccountId"),
    landingPageUrl: text("landingPageUrl"),
    tagNames: form.getAll("tagNames").map(String),
    postbackUrl: text("postbackUrl"),
    postbackMethod: form.get("postbackMethod") === null ? undefined : text("postbackMethod"),
  };
}

export async function trackingLinkAction(shop: string, form: FormData) {
  const intent = String(form.get("intent") ?? "");
  const id = String(form.get("id") ?? "");
  if (intent === "preview") {
    const preview = postbackPreview(String(form.get("postbackUrl") ?? ""), {
      code: String(form.get("code") ?? ""),
      landingPageUrl: String(form.get("landingPageUrl") ?? ""),
    });
    return json({ ok: true as const, intent, name: "", preview });
  }
  const result =
    intent === "create"
      ? await createTrackingLink(shop, linkInput(form))
      : intent === "update"
      ? await updateTrackingLink(shop, id, linkInput(form))
      : intent === "archive"
      ? await archiveTrackingLink(shop, id)
      : { errors: { form: "trackingLinks.error.intent" } };
  if ("errors" in result) {
    const status =
      result.errors.form === "trackingLinks.error.notFound" ? 404 : result.errors.form === "trackingLinks.error.intent" ? 400 : 422;
    return json({ ok: false as const, errors: result.errors }, { status });
  }
  return json({ ok: true as const, intent, name: result.link.name, preview: null });
}

export type TrackingLinkAction = typeof trackingLinkAction;
