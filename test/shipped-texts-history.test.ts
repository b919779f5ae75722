// An install set up before a shipped text changed still holds the earlier version: a switch counts that
// row as unedited (domain/shipped-history.ts), so switching (even to the same language) brings it the
// current text, while a row edited from that version is kept. The fixtures are the planner template
// as it shipped before issue 18 (it told planners to reopen recurring tasks by hand).
import { describe, expect, it } from "vitest";
import { textDigest } from "../worker/domain/shipped-history";
import { SHIPPED_TEMPLATES } from "../worker/domain/shipped-prompts";
import { normaliseText, planSwitch } from "../worker/domain/shipped-texts";
import earlierPlannerEn from "./fixtures/planner-template-before-issue-18.md";
import earlierPlannerZh from "./fixtures/planner-template-before-issue-18.zh-CN.md";
import { call, env, initialize } from "./helpers";

const S = "/api/admin/shipped-texts";

const storePlanner = (content: string) =>
  env.DB.prepare("update prompt_template set content = ? where role = 'planner'").bind(content).run();
const storedPlanner = async () =>
  (await env.DB.prepare("select content from prompt_template where role = 'planner'").first<{ content: string }>())!
    .content;
const plannerOutcome = (body: { items: { kind: string; key: string; outcome: string }[] }) =>
  body.items.find((i) => i.kind === "template" && i.key === "planner")!.outcome;

describe("earlier shipped versions", () => {
  it("digests with 64-bit FNV-1a (the published test vectors)", () => {
    expect(textDigest("")).toBe("cbf29ce484222325");
    expect(textDigest("a")).toBe("af63dc4c8601ec8c");
    expect(textDigest("foobar")).toBe("85944171f73967e8");
  });

  it("the fixtures are earlier versions, not the current text", () => {
    expect(earlierPlannerEn).toContain("reopen the task");
    expect(earlierPlannerEn).not.toBe(SHIPPED_TEMPLATES.en.planner);
    expect(earlierPlannerZh).not.toBe(SHIPPED_TEMPLATES["zh-CN"].planner);
  });

  it("counts a row still holding an earlier version (either language) as unedited, an edit of it as edited", () => {
    const row = (content: string) => ({ content, updatedAt: "t" });
    const outcome = (content: string) =>
      planSwitch("en", "unedited", (kind, key) =>
        kind === "template" && key === "planner" ? row(content) : undefined,
      ).find((p) => p.key === "planner")!.outcome;
    expect(outcome(earlierPlannerEn)).toBe("replace");
    expect(outcome(earlierPlannerZh)).toBe("replace");
    // Line endings and trailing spaces aside, as for current texts.
    expect(outcome(`${earlierPlannerEn.replaceAll("\n", " \r\n")}\n`)).toBe("replace");
    expect(outcome(earlierPlannerEn.replace("reopen the task", "reopen the task yourself"))).toBe("keep_edited");
    expect(outcome(SHIPPED_TEMPLATES.en.planner)).toBe("same");
  });

  it("a switch to the same language upgrades the earlier template; a later switch to Chinese replaces it too", async () => {
    const admin = await initialize();
    await storePlanner(earlierPlannerEn);
    const preview = await call("GET", S, { admin, query: { language: "en" } });
    expect(plannerOutcome(preview.body)).toBe("replace");
    const res = await call("POST", S, { admin, body: { language: "en", mode: "unedited" } });
    expect([res.status, res.body.applied, plannerOutcome(res.body)]).toEqual([200, true, "replace"]);
    expect(await storedPlanner()).toBe(SHIPPED_TEMPLATES.en.planner);

    await storePlanner(earlierPlannerEn);
    await call("POST", S, { admin, body: { language: "zh-CN", mode: "unedited" } });
    expect(normaliseText(await storedPlanner())).toBe(normaliseText(SHIPPED_TEMPLATES["zh-CN"].planner));
  });

  it("keeps a template edited from the earlier version", async () => {
    const admin = await initialize();
    const edited = `${earlierPlannerEn}\nOur team's own closing checklist.\n`;
    await storePlanner(edited);
    const res = await call("POST", S, { admin, body: { language: "zh-CN", mode: "unedited" } });
    expect(plannerOutcome(res.body)).toBe("keep_edited");
    expect(await storedPlanner()).toBe(edited);
  });
});
