import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { switchTagMirror } from "../customers/tag-mirror.server";
import { authenticate } from "../shopify.server";
import { TagsPage, type TagAnswer } from "../tags/tags-page";
import {
  createTag,
  deleteTag,
  listTags,
  TAG_COLORS,
  TAG_NAME_MAX,
  updateTag,
} from "../tags/tags.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // Limits travel with the data: .server modules are not part of the browser bundle.
  return { tags: await listTags(session.shop), colors: TAG_COLORS, nameMax: TAG_NAME_MAX };
};

async function perform(shop: string, form: FormData) {
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : undefined;
  };
  switch (form.get("intent")) {
    case "create":
      return createTag(shop, { name: field("name") ?? "", color: field("color") });
    case "update":
      return updateTag(shop, field("id") ?? "", { name: field("name"), color: field("color") });
    case "delete":
      return deleteTag(shop, field("id") ?? "");
    case "mirror":
      return switchTagMirror(shop, field("id") ?? "", field("mirror") === "true");
    default:
      return { errors: { form: "tags.error.intent" } };
  }
}

const STATUS: Record<string, number> = { "tags.error.notFound": 404, "tags.error.intent": 400 };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const result = await perform(session.shop, await request.formData());
  if ("errors" in result) {
    return json<TagAnswer>({ ok: false, errors: result.errors }, { status: STATUS[result.errors.form ?? ""] ?? 422 });
  }
  return json<TagAnswer>({ ok: true, tag: { id: result.tag.id, name: result.tag.name } });
};

export default function Tags() {
  const { tags, colors, nameMax } = useLoaderData<typeof loader>();
  return <TagsPage tags={tags} colors={colors} nameMax={nameMax} />;
}
