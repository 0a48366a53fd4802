import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { db } from "../db.server";
import { DemoFrame } from "../demo/demo-frame";
import { DemoHome } from "../demo/demo-home";
import { demoAdminUrl, demoEnabled, ensureDemoSession, requireDemo } from "../demo/demo.server";
import { syncSandbox } from "../demo/sandbox.server";
import { DEMO_KEYWORD, seedDemo } from "../demo/seed.server";
import { messages, resolveLocale } from "../i18n/dictionaries.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

/**
 * Outside the admin: an install or admin link carries ?shop. Everything else goes to the login form in production;
 * in development this page offers the local demo instead.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  if (!demoEnabled()) throw redirect("/auth/login");
  const locale = resolveLocale(url.searchParams.get("locale"), request.headers.get("accept-language"));
  return { locale, messages: messages[locale], keyword: DEMO_KEYWORD };
};

/** "Open the demo": seeds the demo shop (once), stores its session and opens the admin as the admin would. */
export const action = async ({ request }: ActionFunctionArgs) => {
  requireDemo();
  const form = await request.formData();
  const locale = resolveLocale(String(form.get("locale") ?? ""), request.headers.get("accept-language"));
  await seedDemo(db);
  await ensureDemoSession();
  await syncSandbox();
  throw redirect(demoAdminUrl("/app", locale));
};

export default function Index() {
  const { locale, messages, keyword } = useLoaderData<typeof loader>();
  return (
    <DemoFrame locale={locale} messages={messages}>
      <DemoHome locale={locale} keyword={keyword} />
    </DemoFrame>
  );
}
