// The segment editor: /app/segments/new creates, /app/segments/<id> edits. The conditions' live count comes
// from app.segments.count.tsx.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { ComponentProps } from "react";
import { SegmentPage, type SegmentAnswer } from "../segments/segment-page";
import { editorOptions, getSegment, saveSegment } from "../segments/segments.server";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";

const notFound = () => json<SegmentAnswer>({ ok: false, errors: { form: "segments.error.notFound" } }, { status: 404 });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  await ensureShop(session.shop);
  const segment = params.id === "new" ? null : await getSegment(session.shop, params.id ?? "");
  if (params.id !== "new" && !segment) throw notFound();
  return { segment, options: await editorOptions(session.shop) };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "save") return json<SegmentAnswer>({ ok: false, errors: { form: "segments.error.intent" } }, { status: 400 });
  const result = await saveSegment(session.shop, params.id === "new" ? null : (params.id ?? ""), {
    name: form.get("name"),
    definition: form.get("definition") ?? "",
  });
  if ("errors" in result) {
    if (result.errors.form === "segments.error.notFound") return notFound();
    return json<SegmentAnswer>({ ok: false, errors: result.errors }, { status: 422 });
  }
  return json<SegmentAnswer>({ ok: true, segment: { id: result.segment.id, name: result.segment.name }, created: params.id === "new" });
};

type SegmentPageProps = ComponentProps<typeof SegmentPage>;

export default function Segment() {
  const { segment, options } = useLoaderData<typeof loader>();
  return <SegmentPage key={segment?.id ?? "new"} segment={segment as SegmentPageProps["segment"]} options={options} />;
}
