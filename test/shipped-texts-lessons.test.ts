// Issue 19 changed three shipped role templates (executors search past lessons and attach files,
// reviewers read attached files, planners search before splitting). An install still holding the
// template as it shipped before counts as unedited (domain/shipped-history.ts), so a switch of shipped
// texts brings it the new one. The earlier texts are the current ones with each change undone.
import { describe, expect, it } from "vitest";
import type { Language } from "../contract/languages";
import { shippedEarlier } from "../worker/domain/shipped-history";
import { SHIPPED_TEMPLATES } from "../worker/domain/shipped-prompts";
import { normaliseText, planSwitch } from "../worker/domain/shipped-texts";

type Role = "executor" | "reviewer" | "planner";

/** [now, before] of each issue-19 change, by template and language. */
const CHANGES: Record<Role, Record<Language, [string, string][]>> = {
  executor: {
    en: [
      [
        "Look for earlier answers and lessons with `search` (plan logs,\n  reflections, rejections), then try alternatives, and only then ask with a `blocked` log.",
        "Look for earlier answers in `plan` logs, then try alternatives, and\n  only then ask with a `blocked` log.",
      ],
      [
        "review feedback, what you could claim, and lessons from similar past work.",
        "review feedback, and what you could claim.",
      ],
      ["attach the files a reviewer needs (`st attach`), write the\n   `delivery` log,", "write the `delivery` log,"],
    ],
    "zh-CN": [
      ["先用 `search` 找已有答复和经验（`plan` 日志、反思、驳回意见），", "先在 `plan` 日志里找已有答复，"],
      ["最新审查意见、可领取的工作，以及类似工作的过往经验。", "最新审查意见，以及可领取的工作。"],
      ["逐条核对标准，附加审查者需要的文件（`st attach`），写", "逐条核对标准，写"],
    ],
  },
  reviewer: {
    en: [
      ["a criterion.\n  Past rejections of similar work (`search`) show where the bar has been.", "a criterion."],
      [
        "the `delivery` log names them. Files attached to the\nsub-task are listed by `st files` and fetched with `st download`.",
        "the `delivery` log names them.",
      ],
      ["names and those attached (`st files <id>`); test each criterion.", "names and test each criterion."],
    ],
    "zh-CN": [
      ["才驳回。类似工作过去的驳回记录（`search`）能告诉你尺子一直在哪里。", "才驳回。"],
      ["列出这些文件。附加在子任务上的文件用 `st files` 列出、用 `st download` 下载。", "列出这些文件。"],
      ["列出的文件和附加的文件（`st files <id>`），逐条", "列出的文件，逐条"],
    ],
  },
  planner: {
    en: [
      [
        "`search` the team memory for similar past work, then split, assign, add\n   rules, set `active`.",
        "split, assign, add rules, set `active`.",
      ],
    ],
    "zh-CN": [["先用 `search` 在团队记忆里查类似的过往工作，再拆分、", "拆分、"]],
  },
};

const earlier = (role: Role, lang: Language): string =>
  CHANGES[role][lang].reduce((text, [now, before]) => {
    expect(text, `${role} ${lang}`).toContain(now);
    return text.replace(now, before);
  }, SHIPPED_TEMPLATES[lang][role]);

describe("role templates before issue 19", () => {
  it.each(["executor", "reviewer", "planner"] as const)(
    "%s: the earlier text in each language counts as shipped",
    (role) => {
      for (const lang of ["en", "zh-CN"] as const) {
        const before = earlier(role, lang);
        expect(before).not.toBe(SHIPPED_TEMPLATES[lang][role]);
        expect(shippedEarlier("template", role, normaliseText(before)), `${role} ${lang}`).toBe(true);
        // An edit of the earlier text is the admin's: kept.
        expect(shippedEarlier("template", role, normaliseText(`${before}\nOur own line.`))).toBe(false);
        const outcome = (content: string) =>
          planSwitch("en", "unedited", (kind, key) =>
            kind === "template" && key === role ? { content, updatedAt: "t" } : undefined,
          ).find((p) => p.kind === "template" && p.key === role)!.outcome;
        expect(outcome(before)).toBe("replace");
      }
    },
  );
});
