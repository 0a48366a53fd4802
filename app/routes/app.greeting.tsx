import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AccountPicker, chosenAccount, connectedAccounts } from "../components/account-picker";
import { NoAccountPage } from "../components/no-account-page";
import type { GreetingAnswer } from "../greeting/greeting";
import { GreetingForm } from "../greeting/greeting-form";
import { GREETING_MAX_LENGTH, GREETING_MAX_MESSAGES, getGreeting, saveGreeting } from "../greeting/greeting.server";
import { useT } from "../i18n/i18n";
import { listAccounts } from "../line/accounts.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const accounts = connectedAccounts(await listAccounts(session.shop));
  const selected = chosenAccount(accounts, request);
  const greeting = selected ? await getGreeting(selected.id) : null;
  return {
    accounts,
    selectedId: selected?.id ?? null,
    greeting: greeting && { enabled: greeting.enabled, messages: greeting.messages },
    // Limits travel with the data: .server modules are not part of the browser bundle.
    limits: { messages: GREETING_MAX_MESSAGES, length: GREETING_MAX_LENGTH },
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const answer = (body: GreetingAnswer, status = 200) => json(body, { status });
  if (form.get("intent") !== "save") return answer({ ok: false, errors: { form: "greeting.error.intent" } }, 400);
  const result = await saveGreeting(session.shop, String(form.get("lineAccountId") ?? ""), {
    enabled: form.get("enabled") === "true",
    messages: form.getAll("messages").map(String),
  });
  if ("errors" in result) return answer({ ok: false, errors: result.errors }, 422);
  return answer({ ok: true, greeting: { enabled: result.greeting.enabled, messages: result.greeting.messages } });
};

export default function Greeting() {
  const data = useLoaderData<typeof loader>();
  const t = useT();

  if (!data.selectedId) return <NoAccountPage title={t("greeting.title")} messages="greeting" />;
  const account = data.accounts.find((a) => a.id === data.selectedId)!;
  return (
    <GreetingForm
      // A new account starts from its own saved greeting.
      key={account.id}
      title={t("greeting.title")}
      accountId={account.id}
      senderName={account.botName ?? account.displayName}
      stored={data.greeting ?? { enabled: false, messages: [t("greeting.message.default")] }}
      limits={data.limits}
      accountPicker={
        data.accounts.length > 1 ? (
          <AccountPicker label={t("greeting.account")} accounts={data.accounts} selectedId={account.id} />
        ) : null
      }
    />
  );
}
