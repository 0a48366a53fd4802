import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import {
  createRule,
  deleteRule,
  listRules,
  PRIORITY_MAX,
  reorderRules,
  RULE_MAX_LENGTH,
  RULE_MAX_MESSAGES,
  RULE_NAME_MAX,
  setRuleEnabled,
  updateRule,
  type RuleInput,
} from "../auto-replies/auto-replies.server";
import { MAX_PATTERN_LENGTH } from "../auto-replies/match";
import type { RuleAnswer, RuleLimits } from "../auto-replies/rule";
import { RuleEditor } from "../auto-replies/rule-editor";
import { RuleList } from "../auto-replies/rule-list";
import { AccountPicker, chosenAccount, connectedAccounts } from "../components/account-picker";
import { NoAccountPage } from "../components/no-account-page";
import { useT } from "../i18n/i18n";
import { listAccounts } from "../line/accounts.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const accounts = connectedAccounts(await listAccounts(session.shop));
  const selected = chosenAccount(accounts, request);
  const rules = selected ? await listRules(session.shop, selected.id) : [];
  const limits: RuleLimits = {
    messages: RULE_MAX_MESSAGES,
    length: RULE_MAX_LENGTH,
    name: RULE_NAME_MAX,
    pattern: MAX_PATTERN_LENGTH,
    priority: PRIORITY_MAX,
  };
  return {
    accounts,
    selectedId: selected?.id ?? null,
    rules: rules.map(({ id, name, matchType, pattern, messages, priority, enabled, createdAt }) => ({
      id,
      name,
      matchType,
      pattern,
      messages,
      priority,
      enabled,
      createdAt,
    })),
    // Limits travel with the data: .server modules are not part of the browser bundle.
    limits,
  };
};

function ruleInput(form: FormData): RuleInput {
  const priority = String(form.get("priority") ?? "").trim();
  const enabled = form.get("enabled");
  return {
    name: String(form.get("name") ?? ""),
    matchType: String(form.get("matchType") ?? ""),
    pattern: String(form.get("pattern") ?? ""),
    messages: form.getAll("messages").map(String),
    priority: priority === "" ? undefined : Number(priority),
    enabled: enabled === null ? undefined : enabled === "true",
  };
}

async function perform(shop: string, form: FormData) {
  const id = String(form.get("id") ?? "");
  const accountId = String(form.get("lineAccountId") ?? "");
  switch (form.get("intent")) {
    case "create":
      return createRule(shop, accountId, ruleInput(form));
    case "update":
      return updateRule(shop, id, ruleInput(form));
    case "toggle":
      return setRuleEnabled(shop, id, form.get("enabled") === "true");
    case "delete":
      return deleteRule(shop, id);
    case "reorder":
      return reorderRules(shop, accountId, form.getAll("ids").map(String));
    default:
      return { errors: { form: "autoReplies.error.intent" } };
  }
}

const STATUS: Record<string, number> = { "autoReplies.error.notFound": 404, "autoReplies.error.intent": 400 };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const result = await perform(session.shop, await request.formData());
  const answer = (body: RuleAnswer, status = 200) => json(body, { status });
  if ("errors" in result) return answer({ ok: false, errors: result.errors }, STATUS[result.errors.form ?? ""] ?? 422);
  return answer({ ok: true, name: "rule" in result ? result.rule.name : "" });
};

export default function AutoReplies() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const [params] = useSearchParams();

  if (!data.selectedId) return <NoAccountPage title={t("autoReplies.title")} messages="autoReplies" />;
  const accountId = data.selectedId;
  const account = data.accounts.find((a) => a.id === accountId)!;
  const sender = account.botName ?? account.displayName;
  // ?rule=new adds a rule, ?rule=<id> edits one (an id that no longer exists shows the list).
  const ruleParam = params.get("rule");
  const editing = ruleParam === "new" ? null : data.rules.find((rule) => rule.id === ruleParam);
  if (ruleParam === "new" || editing) {
    return <RuleEditor key={`${accountId}:${ruleParam}`} accountId={accountId} rule={editing ?? null} limits={data.limits} sender={sender} />;
  }
  return (
    <RuleList
      accountId={accountId}
      rules={data.rules}
      sender={sender}
      accountPicker={
        data.accounts.length > 1 ? <AccountPicker label={t("autoReplies.account")} accounts={data.accounts} selectedId={accountId} /> : null
      }
    />
  );
}
