// The auto-replies page's shapes, shared by its route and its components (browser-safe: no server code).
import type { MatchType } from "./match";

/** A rule as the page receives it (dates as ISO strings). */
export type AutoReplyRule = {
  id: string;
  name: string;
  matchType: MatchType;
  pattern: string;
  messages: string[];
  priority: number;
  enabled: boolean;
  createdAt: string;
};

/** The rule limits, sent with the page's data: .server modules are not part of the browser bundle. */
export type RuleLimits = { messages: number; length: number; name: number; pattern: number; priority: number };

/** What the editor edits. */
export type RuleValues = {
  name: string;
  matchType: MatchType;
  pattern: string;
  priority: string;
  enabled: boolean;
  messages: string[];
};

export function ruleValues(rule: AutoReplyRule | null): RuleValues {
  return {
    name: rule?.name ?? "",
    matchType: rule?.matchType ?? "contains",
    pattern: rule?.pattern ?? "",
    priority: String(rule?.priority ?? 100),
    enabled: rule?.enabled ?? true,
    messages: rule?.messages.length ? rule.messages : [""],
  };
}

/** The page action's answer: the rule's name, or i18n keys of errors by field ("messages.2", "form"). */
export type RuleAnswer = { ok: true; name: string } | { ok: false; errors: Record<string, string> };

/** The editor is part of the page's address: ?rule=new or ?rule=<id>, beside ?account=. */
export function rulesUrl(accountId: string, rule?: string) {
  const params = new URLSearchParams({ account: accountId });
  if (rule) params.set("rule", rule);
  return `/app/auto-replies?${params}`;
}
