import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { DemoFrame } from "../demo/demo-frame";
import type { Dictionary } from "../i18n/i18n";
import { requireDemo } from "../demo/demo.server";
import { phoneTimeline, playAction, sandboxUsers, syncSandbox, type SandboxAction } from "../demo/sandbox.server";
import { SandboxPage, type SandboxPageProps } from "../demo/sandbox-page";
import { messages, resolveLocale } from "../i18n/dictionaries.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

/** The LINE sandbox (development only; 404 in production): the demo users' phones and what they can do. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  requireDemo();
  const url = new URL(request.url);
  const locale = resolveLocale(url.searchParams.get("locale"), request.headers.get("accept-language"));
  const account = await syncSandbox();
  if (!account) return { locale, messages: messages[locale], account: null, users: [], selected: null, timeline: [] } satisfies SandboxPageProps & { messages: Dictionary };
  const users = await sandboxUsers(account.id);
  const selected = users.find((user) => user.userId === url.searchParams.get("user")) ?? users[0] ?? null;
  const timeline = selected ? await phoneTimeline(account.channelId, selected.userId) : [];
  return { locale, messages: messages[locale], account: { displayName: account.displayName }, users, selected, timeline } satisfies SandboxPageProps & { messages: Dictionary };
};

const INTENTS = ["follow", "unfollow", "message", "postback"] as const;

export const action = async ({ request }: ActionFunctionArgs) => {
  requireDemo();
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const userId = String(form.get("userId") ?? "");
  const account = await syncSandbox();
  if (!account || !INTENTS.includes(intent as (typeof INTENTS)[number])) return json({ error: "bad-request" }, { status: 400 });
  if (!(await sandboxUsers(account.id)).some((user) => user.userId === userId)) return json({ error: "unknown-user" }, { status: 400 });
  const text = String(form.get(intent === "postback" ? "data" : "text") ?? "").trim().slice(0, 5000);
  if ((intent === "message" || intent === "postback") && !text) return json({ error: "empty" }, { status: 400 });
  const played: SandboxAction =
    intent === "message"
      ? { type: "message", userId, text }
      : intent === "postback"
        ? { type: "postback", userId, data: text.slice(0, 300) }
        : { type: intent as "follow" | "unfollow", userId };
  return json(await playAction(new URL(request.url).origin, played));
};

export default function LineSandbox() {
  const { messages, ...data } = useLoaderData<typeof loader>() as unknown as SandboxPageProps & { messages: Dictionary };
  return (
    <DemoFrame locale={data.locale} messages={messages}>
      <SandboxPage {...data} />
    </DemoFrame>
  );
}
