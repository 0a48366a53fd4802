// Which auto-reply rule answers a message. Pure and free of server imports: the worker uses it through
// auto-replies.server.ts and the admin page's "try it" box runs the same code in the browser.

export type MatchType = "exact" | "contains" | "regex";
export const MATCH_TYPES: readonly MatchType[] = ["exact", "contains", "regex"];

export type MatchableRule = {
  id: string;
  matchType: MatchType;
  pattern: string;
  priority: number;
  enabled: boolean;
  createdAt: Date;
};

export const MAX_PATTERN_LENGTH = 200;
// A cheap guard against catastrophic backtracking (ReDoS): a merchant's regex never sees more than this many
// characters, and LINE text messages cannot be longer anyway. It bounds, but does not remove, the cost of a bad
// pattern; the pattern length limit is the other half.
export const MAX_REGEX_TEXT_LENGTH = 5000;
export const REGEX_FLAGS = "iu";

/**
 * Full-width and half-width forms compare equal ("ＳＡＬＥ" = "sale", "ｾｰﾙ" = "セール"), as do upper and lower
 * case, and surrounding spaces (including the ideographic space) do not count.
 */
export function normalize(text: string): string {
  return text.normalize("NFKC").trim().toLowerCase();
}

/** Null when the pattern compiles as the matcher compiles it, else the engine's message. */
export function regexError(pattern: string): string | null {
  try {
    new RegExp(pattern, REGEX_FLAGS);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

function compile(pattern: string): RegExp | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return null;
  try {
    return new RegExp(pattern, REGEX_FLAGS);
  } catch {
    return null;
  }
}

export function ruleMatches(rule: Pick<MatchableRule, "matchType" | "pattern">, text: string): boolean {
  if (rule.matchType === "regex") {
    if (text.length > MAX_REGEX_TEXT_LENGTH) return false;
    const regex = compile(rule.pattern);
    if (!regex) return false;
    // The text as sent and its normalised form: a pattern written in half-width also catches full-width input.
    const normalized = text.normalize("NFKC");
    return regex.test(text) || (normalized !== text && regex.test(normalized));
  }
  const pattern = normalize(rule.pattern);
  if (pattern === "") return false;
  const message = normalize(text);
  return rule.matchType === "exact" ? message === pattern : message.includes(pattern);
}

/** The rules in the order they are tried: priority ascending, then the oldest first. */
export function byPriority<T extends Pick<MatchableRule, "priority" | "createdAt" | "id">>(a: T, b: T): number {
  return (
    a.priority - b.priority ||
    new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** The first enabled rule, by priority then age, whose pattern matches the text; null when none does. */
export function matchRule<T extends MatchableRule>(rules: T[], text: string): T | null {
  for (const rule of rules.filter((r) => r.enabled).sort(byPriority)) {
    if (ruleMatches(rule, text)) return rule;
  }
  return null;
}
