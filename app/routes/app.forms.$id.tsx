import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FormBuilderPage } from "../forms/pages";
import { builderAction, builderData } from "../forms/pages.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const data = await builderData(session.shop, params.id ?? "");
  if (!data) throw new Response("Not found", { status: 404 });
  return json(data);
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { status, body } = await builderAction(session.shop, params.id ?? "", await request.formData());
  return json(body, { status });
};

export default function FormBuilder() {
  const data = useLoaderData<typeof loader>();
  return <FormBuilderPage key={data.form.id ?? "new"} form={data.form} accounts={data.accounts} scenarios={data.scenarios} liffUrl={data.liffUrl} />;
}
