// Which auto-reply rule answers a message. Pure and free of server imports: the worker uses it through
// auto-replies.server.ts and the admin page's "try it" box runs the same code in the browser.
import { RE2JS } from "re2js";

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
// LINE text messages are at most 5000 characters; anything longer is not a message a friend sent.
export const MAX_REGEX_TEXT_LENGTH = 5000;

/**
 * Full-width and half-width forms compare equal ("ＳＡＬＥ" = "sale", "ｾｰﾙ" = "セール"), as do upper and lower
 * case, and surrounding spaces (including the ideographic space) do not count.
 */
export function normalize(text: string): string {
  return text.normalize("NFKC").trim().toLowerCase();
}

export type RegexProblem = "invalid" | "unsupported";

/**
 * Merchants write JavaScript syntax, but matching runs on RE2 (re2js): its time is linear in the text, so no
 * pattern can stall the worker's event loop (`^(a+)+$` backtracks for seconds in a JavaScript engine).
 * RE2 has no look-around or back-references; such patterns are refused when saved.
 */
function toRe2(pattern: string): RE2JS {
  // The library's translation would turn \k<name> into the letters "k<name>"; numbered ones RE2 refuses itself.
  if (/(?:^|[^\\])(?:\\\\)*\\(?:k<|[1-9])/.test(pattern)) throw new Error("back-references are not supported");
  // JavaScript's \p{Script=Han} is RE2's \p{Han}; the rest of the translation is the library's.
  const source = RE2JS.translateRegExp(pattern.replace(/\\([pP])\{(?:Script|sc)=(\w+)\}/g, "\\$1{$2}"));
  return RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
}

/** Null when the pattern is usable: valid JavaScript (with the `u` flag) that the linear-time engine runs. */
export function regexProblem(pattern: string): RegexProblem | null {
  try {
    new RegExp(pattern, "iu");
  } catch {
    return "invalid";
  }
  try {
    toRe2(pattern);
    return null;
  } catch {
    return "unsupported";
  }
}

// The worker tests every regex rule of an account on each message: keep compiled patterns (bounded).
const compiled = new Map<string, RE2JS | null>();
const COMPILED_MAX = 500;

function compile(pattern: string): RE2JS | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return null;
  if (compiled.has(pattern)) return compiled.get(pattern) ?? null;
  const regex = regexProblem(pattern) ? null : toRe2(pattern);
  if (compiled.size >= COMPILED_MAX) compiled.delete(compiled.keys().next().value as string);
  compiled.set(pattern, regex);
  return regex;
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
