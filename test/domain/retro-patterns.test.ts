// Repeated failure patterns: issue items normalised so that case, width, numbers, ids and punctuation
// do not matter; the sub-task type key; patterns by count and "again" from earlier periods' keys.
import { describe, expect, it } from "vitest";
import {
  findPatterns,
  fnvKey,
  issueItems,
  keysOf,
  normaliseItem,
  type RejectionKeys,
  subTaskTypeKey,
} from "../../worker/domain/retro-patterns";

describe("normaliseItem and issueItems", () => {
  it("erases case, full-width forms, digits, hex ids, bullets and punctuation", () => {
    expect(normaliseItem("- The summary misses 3 sources!")).toBe("the summary misses # sources");
    expect(normaliseItem("2) the SUMMARY misses 12 sources.")).toBe("the summary misses # sources");
    expect(normaliseItem("１、Ｔｈｅ summary misses ４ sources；")).toBe("the summary misses # sources");
    expect(normaliseItem("• see run 9f86d081884c7d65 for details")).toBe("see run # for details");
  });

  it("splits on newlines and semicolons (ASCII and full-width), keeps one of equal items, drops short ones", () => {
    const items = issueItems(
      "1. Missing citations for claim 2\n- missing citations for claim 7；typo;  n/a \n* Tables lack units",
    );
    expect(items.map((i) => i.sample)).toEqual(["Missing citations for claim 2", "Tables lack units"]);
    expect(items[0]!.key).toBe(fnvKey("missing citations for claim #"));
  });

  it("keys are 16 hex characters and differ for different texts", () => {
    expect(fnvKey("a")).toMatch(/^[0-9a-f]{16}$/);
    expect(fnvKey("the summary misses sources")).not.toBe(fnvKey("the summary misses source"));
  });
});

describe("subTaskTypeKey", () => {
  it("same task and name up to numbers → same type; another task → another type", () => {
    expect(subTaskTypeKey("t1", "Translate batch 3", null)).toBe(subTaskTypeKey("t1", "translate batch 14", null));
    expect(subTaskTypeKey("t1", "Translate batch 3", null)).not.toBe(subTaskTypeKey("t2", "Translate batch 3", null));
  });

  it("a round's sub-task is typed by its template key whatever its name", () => {
    expect(subTaskTypeKey("t1", "Collect news 2026-12-04", "collect")).toBe(subTaskTypeKey("t1", "Round 7", "collect"));
  });
});

const rejection = (id: string, subTaskId: string, executor: string, issues: string, taskId = "t1"): RejectionKeys => ({
  reviewId: id,
  subTaskId,
  subTaskName: `Write section ${id}`,
  taskId,
  executor,
  issues: issueItems(issues),
  typeKey: subTaskTypeKey(taskId, `Write section ${subTaskId}`, null),
});

describe("findPatterns", () => {
  const rejections = [
    rejection("r1", "s1", "A", "The summary misses 3 sources"),
    rejection("r2", "s2", "B", "the summary MISSES 5 sources!!", "t2"),
    rejection("r3", "s3", "A", "Wrong output format entirely", "t2"),
  ];
  const repeated = issueItems("The summary misses 3 sources")[0]!.key;

  it("an issue in two rejections is a pattern; one seen once is not", () => {
    const issues = findPatterns(rejections, []).filter((p) => p.kind === "issue");
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      key: repeated,
      count: 2,
      again: false,
      sub_tasks: ["s1", "s2"],
      agents: ["A", "B"],
    });
  });

  it("again: an earlier period's keys mark the repeat, and make a single rejection a pattern", () => {
    const once = issueItems("Wrong output format entirely")[0]!.key;
    const previous = [
      { periodKey: "day:2026-12-03", keys: { issue: { [repeated]: 1 }, type: {} } },
      { periodKey: "day:2026-12-01", keys: { issue: { [repeated]: 4, [once]: 1 }, type: {} } },
    ];
    const issues = findPatterns(rejections, previous).filter((p) => p.kind === "issue");
    expect(issues.map((p) => [p.count, p.again, p.previous_periods])).toEqual([
      [2, true, ["day:2026-12-03", "day:2026-12-01"]],
      [1, true, ["day:2026-12-01"]],
    ]);
  });

  it("a sub-task type rejected twice is a pattern; top_task_id is the task with most of its rejections", () => {
    const same = [
      rejection("r1", "s1", "A", "first problem here"),
      rejection("r2", "s1", "A", "second problem here"),
      rejection("r3", "s9", "C", "third problem here", "t9"),
    ];
    const types = findPatterns(same, []).filter((p) => p.kind === "sub_task_type");
    expect(types).toHaveLength(1);
    expect(types[0]).toMatchObject({ count: 2, sub_tasks: ["s1"], top_task_id: "t1" });
  });

  it("keysOf counts every key of the period, the most frequent first, capped", () => {
    const keys = keysOf(rejections, 500);
    expect(keys.issue[repeated]).toBe(2);
    expect(Object.keys(keys.issue)).toHaveLength(2);
    expect(Object.keys(keysOf(rejections, 1).issue)).toEqual([repeated]);
  });
});
