import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { clearLiffProblem } from "../home/alerts.server";
import { HomePage } from "../home/home-page";
import { homePage } from "../home/home.server";
import { parsePeriod } from "../home/period";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const days = parsePeriod(new URL(request.url).searchParams.get("period"));
  return homePage(session.shop, { days, graphql: admin.graphql });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") === "liff-resolved") {
    const cleared = await clearLiffProblem(session.shop, String(form.get("id") ?? ""));
    return json({ ok: cleared }, { status: cleared ? 200 : 404 });
  }
  return json({ ok: false }, { status: 400 });
};

export default function Home() {
  return <HomePage data={useLoaderData<typeof loader>()} />;
}
