import { describe, expect, it } from "vitest";
import { parseSearchQuery, type QueryTerm } from "../../worker/domain/search-query";
import { SNIPPET_CHARS, searchSnippet } from "../../worker/domain/search-snippet";

/** The terms of a query that parses. */
function termsOf(q: string): QueryTerm[] {
  const parsed = parseSearchQuery(q);
  if (!parsed.ok) throw new Error(`"${q}" did not parse`);
  return parsed.query.terms;
}

const snippet = (text: string, q: string) => searchSnippet(text, termsOf(q));

describe("searchSnippet: English", () => {
  it("marks every occurrence, case-insensitively, and keeps a short text whole", () => {
    expect(snippet("The Login test timed out; login again.", "login")).toBe(
      "The [Login] test timed out; [login] again.",
    );
  });

  it("marks whole words only, unless the term is a prefix", () => {
    expect(snippet("test testing retest test.", "test")).toBe("[test] testing retest [test].");
    expect(snippet("test testing retest", "test*")).toBe("[test] [testing] retest");
  });

  it("marks a quoted phrase across the punctuation and spaces between its words", () => {
    expect(snippet("the login -- timeout again, login and timeout", '"login timeout"')).toBe(
      "the [login -- timeout] again, login and timeout",
    );
  });

  it("collapses newlines and runs of spaces to single spaces", () => {
    expect(snippet("first line\n\n   second\tline with flaky\r\nthird", "flaky")).toBe(
      "first line second line with [flaky] third",
    );
  });

  it("folds width and accents as the index does", () => {
    expect(snippet("ＬＯＧＩＮ failed at the café", "login cafe")).toBe("[ＬＯＧＩＮ] failed at the [café]");
    expect(snippet("resume the résumé", "résumé")).toBe("[resume] the [résumé]");
  });
});

describe("searchSnippet: Chinese and mixed", () => {
  it("marks a Chinese run wherever it occurs, without word boundaries", () => {
    expect(snippet("修复了登录接口超时的问题，超时设为30秒", "超时")).toBe(
      "修复了登录接口[超时]的问题，[超时]设为30秒",
    );
  });

  it("marks a longer Chinese query as one run, and a lone character by itself", () => {
    expect(snippet("团队记忆很重要", "团队记忆")).toBe("[团队记忆]很重要");
    expect(snippet("登录接口超时", "登录超时")).toBe("[登录]接口[超时]");
    expect(snippet("登录接口超时", '"登录超时"')).toBe("登录接口超时");
    expect(snippet("登录超时", "超")).toBe("登录[超]时");
  });

  it("maps marks back through characters whose fold changes length (ligatures, astral letters)", () => {
    // ﬁ folds to two units, 𝐍 (two units) to one: the marks must still land on the original characters.
    expect(snippet(`${"ﬁ ".repeat(300)}the 𝐍𝐞𝐞𝐝𝐥𝐞 and needle`, "needle")).toMatch(
      /^…(ﬁ )+the \[𝐍𝐞𝐞𝐝𝐥𝐞\] and \[needle\]$/u,
    );
    expect(snippet("ﬁnd the ﬁle", "find file")).toBe("[ﬁnd] the [ﬁle]");
  });

  it("folds compatibility ideographs and half-width katakana as NFKC does", () => {
    // U+F9FC is a compatibility form of 識; ｶﾀｶﾅ is half-width カタカナ.
    expect(snippet("知\uF9FC and ｶﾀｶﾅ", "知識 カタカナ")).toBe("[知\uF9FC] and [ｶﾀｶﾅ]");
  });

  it("marks a Latin word right next to Chinese characters (the index splits there)", () => {
    expect(snippet("登录timeout问题", "timeout")).toBe("登录[timeout]问题");
    expect(snippet("登录 timeout问题", "timeout 登录")).toBe("[登录] [timeout]问题");
  });
});

describe("searchSnippet: long texts", () => {
  const filler = (n: number) => "lorem ipsum dolor sit amet ".repeat(Math.ceil(n / 27)).slice(0, n);

  it("cuts about SNIPPET_CHARS around a match past character 5,000, between words, with ellipses", () => {
    const text = `${filler(5_000)} the flaky needle is here ${filler(5_000)}`;
    const out = snippet(text, "needle");
    expect(out).toMatch(/^… ?\S/);
    expect(out.endsWith("…")).toBe(true);
    expect(out).toContain("flaky [needle] is here");
    const body = out.replace(/^…|…$/g, "").replace(/[[\]]/g, "");
    expect(body.length).toBeLessThanOrEqual(SNIPPET_CHARS + 2);
    expect(body.length).toBeGreaterThan(SNIPPET_CHARS - 45);
    // Between words: the snippet starts and ends on whole words of the filler.
    for (const word of body.trim().split(" ").slice(1, -1))
      expect(word).toMatch(/^(lorem|ipsum|dolor|sit|amet|the|flaky|needle|is|here)$/);
    expect(["lorem", "ipsum", "dolor", "sit", "amet"]).toContain(body.trim().split(" ")[0]);
  });

  it("cuts Chinese anywhere, and never inside a surrogate pair", () => {
    const text = `${"😀".repeat(3_000)}超时${"😀".repeat(3_000)}`;
    const out = snippet(text, "超时");
    expect(out).toContain("[超时]");
    expect(/[\uD800-\uDFFF]/u.test(out)).toBe(false);
  });

  it("without a match shows the text's beginning", () => {
    const text = filler(1_000);
    const out = snippet(text, "absent");
    expect(out.startsWith("lorem ipsum")).toBe(true);
    expect(out.endsWith("…")).toBe(true);
  });
});

describe("searchSnippet: terms with regular-expression characters", () => {
  it("treats them literally (terms built by hand, not only by the parser)", () => {
    const terms: QueryTerm[] = [{ words: [{ text: "a.b*(c)[d]", cjk: false }], prefix: false }];
    expect(searchSnippet("x a.b*(c)[d] y axbbc", terms)).toBe("x [a.b*(c)[d]] y axbbc");
    const dollar: QueryTerm[] = [{ words: [{ text: "$&\\", cjk: false }], prefix: true }];
    expect(searchSnippet("cost $&\\ here", dollar)).toBe("cost [$&\\] here");
  });
});
