import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SegmentListPage, type SegmentListAnswer } from "../segments/list-page";
import { deleteSegment, listSegments } from "../segments/segments.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { segments: await listSegments(session.shop) };
};

const STATUS: Record<string, number> = { "segments.error.notFound": 404, "segments.error.intent": 400 };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const result =
    form.get("intent") === "delete"
      ? await deleteSegment(session.shop, String(form.get("id") ?? ""))
      : { errors: { form: "segments.error.intent" } };
  if ("errors" in result) {
    return json<SegmentListAnswer>({ ok: false, errors: result.errors }, { status: STATUS[result.errors.form] ?? 422 });
  }
  return json<SegmentListAnswer>({ ok: true, segment: { id: result.segment.id, name: result.segment.name } });
};

export default function Segments() {
  return <SegmentListPage segments={useLoaderData<typeof loader>().segments} />;
}
