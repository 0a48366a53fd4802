import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AnswersPage } from "../forms/pages";
import { answersData } from "../forms/pages.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const data = await answersData(session.shop, params.id ?? "", new URL(request.url).searchParams);
  if (!data) throw new Response("Not found", { status: 404 });
  return json(data);
};

export default function FormAnswers() {
  const data = useLoaderData<typeof loader>();
  return <AnswersPage form={data.form} answers={data.answers} filter={data.filter} timeZone={data.timeZone} />;
}
