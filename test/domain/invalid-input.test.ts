// The detail of a refused field (worker/lib/invalid-input.ts): English is "<field>: <zod's message>"
// byte for byte, for every kind of zod issue the API's schemas raise; Chinese is our own sentence per
// issue code, built from the issue's numbers and values; a schema's own refusal keeps its own message.
import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { render } from "../../worker/i18n";
import { invalidFieldText } from "../../worker/lib/invalid-input";
import { line, refusal } from "../../worker/routes/define";

const CJK = /[\u4e00-\u9fff]/;

const Body = z
  .object({
    name: line(20),
    count: z.number().int().min(2).max(9),
    tags: z.array(z.string()).min(1).max(3),
    kind: z.enum(["once", "recurring"]),
    at: z.iso.datetime(),
    delta: z.number().refine((d) => d !== 0, refusal("zeroScoreDelta")),
  })
  .strict();

/** The first issue zod raises for `input`, and its detail in both languages. */
function details(input: unknown) {
  const issue = Body.safeParse(input).error!.issues[0]!;
  const field = issue.path.join(".");
  const said = invalidFieldText(field, issue);
  return { issue, field, en: render(said, "en"), zh: render(said, "zh-CN") };
}

const valid = { name: "n", count: 3, tags: ["a"], kind: "once", at: "2026-01-01T00:00:00Z", delta: 1 };

describe("a refused field's detail", () => {
  it.each([
    ["a missing field", { ...valid, name: undefined }, /^name：缺少这个字段（应为 string）$/],
    ["a wrong type", { ...valid, count: "3" }, /^count：类型不对：应为 number，实际是 string$/],
    ["a string over its maximum", { ...valid, name: "x".repeat(21) }, /^name：最多 20 个字符$/],
    ["an empty line", { ...valid, name: "" }, /^name：不能为空$/],
    ["a number under its minimum", { ...valid, count: 1 }, /^count：不能小于 2$/],
    ["a number over its maximum", { ...valid, count: 10 }, /^count：不能大于 9$/],
    ["an empty list", { ...valid, tags: [] }, /^tags：至少 1 项$/],
    ["a list too long", { ...valid, tags: ["a", "b", "c", "d"] }, /^tags：最多 3 项$/],
    ["a value off the list", { ...valid, kind: "daily" }, /^kind：取值只能是 "once", "recurring"$/],
    ["a malformed date-time", { ...valid, at: "soon" }, /^at：不是合法的 ISO 8601 日期时间$/],
    ["an unknown key", { ...valid, extra: 1 }, /^有不认识的字段："extra"$/],
  ])("%s: English as zod says it, Chinese of our own", (_what, input, chinese) => {
    const { issue, field, en, zh } = details(input);
    expect(en).toBe(field ? `${field}: ${issue.message}` : issue.message);
    expect(zh).toMatch(chinese);
  });

  it("a schema's own refusal and a refused character keep their messages, with the field", () => {
    const zero = details({ ...valid, delta: 0 });
    expect(zero.en).toBe("delta: score_delta must not be 0");
    expect(zero.zh).toBe("delta：score_delta 不能为 0");
    const hidden = details({ ...valid, name: "a\u200bb" });
    expect(hidden.en).toBe("name: U+200B is not allowed: names and ids are one line of visible characters");
    expect(hidden.zh).toMatch(/^name：不允许 U\+200B：/);
    expect(hidden.zh).toMatch(CJK);
  });

  it("without an issue says the request is invalid", () => {
    expect(render(invalidFieldText("", undefined), "en")).toBe("invalid input");
    expect(render(invalidFieldText("", undefined), "zh-CN")).toMatch(CJK);
  });
});
