import { describe, expect, it } from "vitest";
import { MAX_QUERY_TERMS, MAX_TERM_CHARS, parseSearchQuery } from "../../worker/domain/search-query";

/** The MATCH expression of a query that parses. */
function matchOf(q: string): string {
  const parsed = parseSearchQuery(q);
  if (!parsed.ok) throw new Error(`"${q}" did not parse: ${parsed.problem}`);
  return parsed.query.match;
}

// Every expression is quoted strings side by side, each optionally followed by `*`: nothing else is
// FTS5 syntax. This is what "safe" means, checked on every row below.
const SAFE_EXPRESSION = /^"(?:[^"]|"")+"\*?(?: "(?:[^"]|"")+"\*?)*$/u;

describe("parseSearchQuery: what an agent types becomes quoted terms", () => {
  const cases: [string, string][] = [
    ["flaky login test", '"flaky" "login" "test"'],
    ["Flaky LOGIN", '"flaky" "login"'],
    // NFKC: full-width letters and digits become ASCII, as the index folds them.
    ["ＴＩＭＥＯＵＴ　１２", '"timeout" "12"'],
    ["login*", '"login"*'],
    ["log* in*", '"log"* "in"*'],
    ['"login timeout"', '"login timeout"'],
    ['"login time"*', '"login time"*'],
    ['retry "login timeout" flaky', '"retry" "login timeout" "flaky"'],
    // Chinese: a run is cut into two-character terms found anywhere, like words; an odd run's last
    // pair overlaps. In quotes it is the exact phrase of its overlapping pairs (as indexed).
    ["团队记忆", '"团队" "记忆"'],
    ["登录超时", '"登录" "超时"'],
    ["团队记忆库", '"团队" "记忆" "忆库"'],
    ["团队记忆库*", '"团队" "记忆" "忆库"*'],
    ['"团队记忆"', '"团队 队记 记忆"'],
    ['"登录超时" 问题', '"登录 录超 超时" "问题"'],
    ["超时", '"超时"'],
    // A lone CJK character only exists in the index as the start of pairs: a prefix.
    ["超", '"超"*'],
    ["登录 超时", '"登录" "超时"'],
    // Mixed scripts split where the index splits them.
    ["登录timeout", '"登录" "timeout"'],
    ["中文English混合", '"中文" "english" "混合"'],
    ['"登录 timeout"', '"登录 timeout"'],
    // Repeated terms count once.
    ["test Test TEST", '"test"'],
  ];
  it.each(cases)("%j → %s", (q, expected) => {
    expect(matchOf(q)).toBe(expected);
    expect(expected).toMatch(SAFE_EXPRESSION);
  });
});

describe("parseSearchQuery: FTS5 syntax typed by an agent is only words", () => {
  const hostile: [string, string][] = [
    ["a AND b", '"a" "and" "b"'],
    ["login OR logout", '"login" "or" "logout"'],
    ["NOT secret", '"not" "secret"'],
    ["NEAR(login timeout, 3)", '"near" "login" "timeout" "3"'],
    ["body:secret", '"body" "secret"'],
    ["{body}: x", '"body" "x"'],
    ["^start", '"start"'],
    ["-excluded +included", '"excluded" "included"'],
    ["a*b", '"a"* "b"'],
    ["*lead", '"lead"'],
    ["(a OR b) AND c", '"a" "or" "b" "and" "c"'],
    ['say "hi', '"say" "hi"'],
    ['"a" "b" "', '"a" "b"'],
    ['x"y', '"x" "y"'],
    ['"""quoted"""', '"quoted"'],
    ["rm -rf /; drop table search_fts;--", '"rm" "rf" "drop" "table" "search" "fts"'],
    ["nul\u0000byte", '"nul" "byte"'],
    ["emoji 🔥 fire", '"emoji" "fire"'],
    ["café", '"café"'],
    ["a\tb\nc", '"a" "b" "c"'],
  ];
  it.each(hostile)("%j → %s", (q, expected) => {
    expect(matchOf(q)).toBe(expected);
    expect(expected).toMatch(SAFE_EXPRESSION);
  });

  it("refuses a query without a single word", () => {
    for (const q of ["", "   ", "***", '""', '"" ""', "🔥🔥", "^:()", "\u0000", "-- ;"])
      expect(parseSearchQuery(q)).toEqual({ ok: false, problem: "empty_query" });
  });

  it(`refuses more than ${MAX_QUERY_TERMS} terms, and takes exactly that many`, () => {
    const words = Array.from({ length: MAX_QUERY_TERMS + 1 }, (_, i) => `w${i}`);
    expect(parseSearchQuery(words.join(" "))).toEqual({
      ok: false,
      problem: "too_many_terms",
      count: MAX_QUERY_TERMS + 1,
    });
    const parsed = parseSearchQuery(words.slice(0, MAX_QUERY_TERMS).join(" "));
    expect(parsed.ok && parsed.query.terms.length).toBe(MAX_QUERY_TERMS);
  });

  it("a phrase counts as one term", () => {
    const words = Array.from({ length: 30 }, (_, i) => `p${i}`).join(" ");
    const parsed = parseSearchQuery(`"${words}"`);
    expect(parsed.ok && parsed.query.terms.length).toBe(1);
  });

  it(`cuts a term at ${MAX_TERM_CHARS} characters and searches the cut word as a prefix`, () => {
    expect(matchOf("x".repeat(100))).toBe(`"${"x".repeat(MAX_TERM_CHARS)}"*`);
    // A phrase keeps its words up to the limit; the one the limit cuts becomes the prefix.
    const phrase = `"${"a".repeat(40)} ${"b".repeat(40)} c"`;
    expect(matchOf(phrase)).toBe(`"${"a".repeat(40)} ${"b".repeat(MAX_TERM_CHARS - 41)}"*`);
    // A long quoted Chinese run keeps its first MAX_TERM_CHARS characters' pairs.
    const parsed = parseSearchQuery(`"${"记忆".repeat(100)}"`);
    expect(parsed.ok && parsed.query.terms[0]!.words[0]!.text).toBe("记忆".repeat(MAX_TERM_CHARS / 2));
    // Unquoted, a Chinese sentence is as many terms as its pieces: too many past 24 characters.
    const sentence = Array.from({ length: 26 }, (_, i) => String.fromCodePoint(0x4e00 + i * 7)).join("");
    expect(parseSearchQuery(sentence)).toMatchObject({ ok: false, problem: "too_many_terms" });
    expect(matchOf("修复登录接口超时问题的经验")).toBe('"修复" "登录" "接口" "超时" "问题" "的经" "经验"');
  });

  it("stays bounded and safe on 10,000 characters of anything", () => {
    const junk = Array.from({ length: 10_000 }, (_, i) => String.fromCodePoint((i * 7919) % 0x3000)).join("");
    const parsed = parseSearchQuery(junk);
    if (parsed.ok) {
      expect(parsed.query.terms.length).toBeLessThanOrEqual(MAX_QUERY_TERMS);
      expect(parsed.query.match).toMatch(SAFE_EXPRESSION);
    } else expect(["empty_query", "too_many_terms"]).toContain(parsed.problem);
    expect(parseSearchQuery(`"${"q".repeat(10_000)}`)).toEqual({
      ok: true,
      query: { match: `"${"q".repeat(MAX_TERM_CHARS)}"*`, terms: expect.any(Array) },
    });
  });

  it("keeps the terms' words for snippets: folded, CJK runs whole", () => {
    const parsed = parseSearchQuery('Login* "团队记忆 Export" 超时');
    expect(parsed.ok && parsed.query.terms).toEqual([
      { words: [{ text: "login", cjk: false }], prefix: true },
      {
        words: [
          { text: "团队记忆", cjk: true },
          { text: "export", cjk: false },
        ],
        prefix: false,
      },
      { words: [{ text: "超时", cjk: true }], prefix: false },
    ]);
  });
});
