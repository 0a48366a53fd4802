// The matcher shared by the worker and the admin page's "try it" box.
import { describe, expect, it } from "vitest";
import { matchRule, normalize, regexProblem, ruleMatches, type MatchableRule } from "~/auto-replies/match";

let sequence = 0;
function rule(overrides: Partial<MatchableRule> & Pick<MatchableRule, "matchType" | "pattern">): MatchableRule {
  sequence += 1;
  return {
    id: `r${sequence}`,
    priority: 100,
    enabled: true,
    createdAt: new Date(2025, 0, 1, 0, 0, sequence),
    ...overrides,
  };
}

describe("normalize", () => {
  it("folds full-width, half-width kana, case and surrounding spaces", () => {
    expect(normalize("　ＳＡＬＥ ")).toBe("sale");
    expect(normalize("ｾｰﾙ")).toBe("セール");
    expect(normalize("Ｎｏ．１２３")).toBe("no.123");
  });
});

describe("exact", () => {
  it("matches the whole message after NFKC, trimming and case folding", () => {
    const sale = rule({ matchType: "exact", pattern: "sale" });
    expect(ruleMatches(sale, "ＳＡＬＥ")).toBe(true);
    expect(ruleMatches(sale, "  Sale\n")).toBe(true);
    expect(ruleMatches(sale, "sales")).toBe(false);
    expect(ruleMatches(sale, "big sale")).toBe(false);
    expect(ruleMatches(rule({ matchType: "exact", pattern: "セール" }), "ｾｰﾙ")).toBe(true);
    expect(ruleMatches(rule({ matchType: "exact", pattern: "ＶＩＰ" }), "vip")).toBe(true);
  });
});

describe("contains", () => {
  it("matches a substring with the same normalisation", () => {
    const hours = rule({ matchType: "contains", pattern: "営業時間" });
    expect(ruleMatches(hours, "明日の営業時間を教えてください")).toBe(true);
    expect(ruleMatches(hours, "営業日は？")).toBe(false);
    expect(ruleMatches(rule({ matchType: "contains", pattern: "coupon" }), "ＣＯＵＰＯＮはありますか")).toBe(true);
  });

  it("never matches with a blank pattern", () => {
    expect(ruleMatches(rule({ matchType: "contains", pattern: "　" }), "anything")).toBe(false);
    expect(ruleMatches(rule({ matchType: "exact", pattern: "" }), "")).toBe(false);
  });
});

describe("regex", () => {
  it("is case-insensitive and Unicode-aware", () => {
    const order = rule({ matchType: "regex", pattern: "^order\\s*#?\\d{4,}$" });
    expect(ruleMatches(order, "ORDER #1234")).toBe(true);
    expect(ruleMatches(order, "order 12")).toBe(false);
    expect(ruleMatches(rule({ matchType: "regex", pattern: "^\\p{Script=Hiragana}+$" }), "ありがとう")).toBe(true);
  });

  it("also tries the normalised text, so half-width patterns catch full-width input", () => {
    expect(ruleMatches(rule({ matchType: "regex", pattern: "^\\d{3}$" }), "１２３")).toBe(true);
    expect(ruleMatches(rule({ matchType: "regex", pattern: "^[０-９]+$" }), "１２３")).toBe(true);
  });

  it("skips a pattern that does not compile or is too long, and text over 5000 characters", () => {
    expect(ruleMatches(rule({ matchType: "regex", pattern: "(" }), "(")).toBe(false);
    expect(ruleMatches(rule({ matchType: "regex", pattern: `a{1}${"|a".repeat(99)}` }), "a")).toBe(false);
    const any = rule({ matchType: "regex", pattern: "a" });
    expect(ruleMatches(any, "a".repeat(5000))).toBe(true);
    expect(ruleMatches(any, "a".repeat(5001))).toBe(false);
  });

  it("reports why a pattern cannot be used: invalid JavaScript, or a feature the linear-time engine lacks", () => {
    expect(regexProblem("^(営業|hours)")).toBeNull();
    expect(regexProblem("^\\p{Script=Han}+(?<unit>個|本)$")).toBeNull();
    expect(regexProblem("(")).toBe("invalid");
    // Valid without the u flag, invalid with it: the validation must use the same flags as matching.
    expect(regexProblem("\\-")).toBe("invalid");
    for (const pattern of ["sale(?=!)", "sale(?!s)", "(?<=big )sale", "(a)\\1", "(?<x>a)\\k<x>"]) {
      expect(regexProblem(pattern)).toBe("unsupported");
      expect(ruleMatches(rule({ matchType: "regex", pattern }), "sale!")).toBe(false);
    }
  });

  it("matches a catastrophic-backtracking pattern in linear time", () => {
    // ^(a+)+$ takes seconds on 28 characters in a backtracking engine and doubles with each one more.
    const nested = rule({ matchType: "regex", pattern: "^(a+)+$" });
    expect(ruleMatches(nested, `${"a".repeat(4999)}!`)).toBe(false);
    expect(ruleMatches(nested, "A".repeat(5000))).toBe(true);
    const alternation = rule({ matchType: "regex", pattern: "^(a|aa)+$" });
    expect(ruleMatches(alternation, `${"a".repeat(4999)}b`)).toBe(false);
  });
});

describe("matchRule", () => {
  it("takes the lowest priority number first, then the oldest rule", () => {
    const older = rule({ matchType: "contains", pattern: "sale", priority: 50 });
    const newer = rule({ matchType: "contains", pattern: "sale", priority: 50 });
    const urgent = rule({ matchType: "exact", pattern: "big sale", priority: 10 });
    const fallback = rule({ matchType: "regex", pattern: ".", priority: 9999 });
    const rules = [fallback, newer, urgent, older];
    expect(matchRule(rules, "Big Sale")?.id).toBe(urgent.id);
    expect(matchRule(rules, "sale?")?.id).toBe(older.id);
    expect(matchRule(rules, "hello")?.id).toBe(fallback.id);
    expect(rules.map((r) => r.id)).toEqual([fallback.id, newer.id, urgent.id, older.id]);
  });

  it("ignores disabled rules and returns null when nothing matches", () => {
    const off = rule({ matchType: "contains", pattern: "sale", priority: 1, enabled: false });
    const on = rule({ matchType: "contains", pattern: "sale", priority: 2 });
    expect(matchRule([off, on], "sale")?.id).toBe(on.id);
    expect(matchRule([off], "sale")).toBeNull();
    expect(matchRule([on], "hello")).toBeNull();
    expect(matchRule([], "sale")).toBeNull();
  });
});
