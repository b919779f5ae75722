// The round template of a recurring task (worker/domain/round-template.ts): checks, from_sub_tasks,
// normal form, and one round's sub-tasks.
import { describe, expect, it } from "vitest";
import type { RoundTemplateInput, TemplateSubTask } from "../../contract/api/recurring";
import { normalisedConfig, roundSubTasks, templateFromWork, templateProblem } from "../../worker/domain/round-template";

describe("the round template", () => {
  const sub = (key: string, extra: Partial<TemplateSubTask> = {}): TemplateSubTask => ({
    key,
    module: null,
    name: key,
    description: "",
    deliverable: "",
    acceptance: "",
    priority: "medium",
    assigned_agent: null,
    depends_on: [],
    ...extra,
  });
  const problemKey = (sub_tasks: TemplateSubTask[], modules: RoundTemplateInput["modules"] = []) =>
    templateProblem({ modules, sub_tasks })?.key ?? null;

  it("accepts a template whose keys, modules and dependencies line up", () => {
    const modules = [{ key: "news", name: "News", description: "" }];
    expect(problemKey([sub("a", { module: "news" }), sub("b", { depends_on: ["a"] })], modules)).toBeNull();
  });

  it("names what is wrong: duplicate keys, unknown module or dependency, repeats, cycles", () => {
    expect(problemKey([sub("a"), sub("a")])).toBe("templateDuplicateKey");
    expect(problemKey([sub("a", { module: "nope" })])).toBe("templateUnknownModule");
    expect(problemKey([sub("a", { depends_on: ["zz"] })])).toBe("templateUnknownDependency");
    expect(problemKey([sub("a"), sub("b", { depends_on: ["a", "a"] })])).toBe("templateRepeatedDependency");
    const cycle = templateProblem({
      modules: [],
      sub_tasks: [sub("a", { depends_on: ["c"] }), sub("b", { depends_on: ["a"] }), sub("c", { depends_on: ["b"] })],
    });
    expect(cycle?.key).toBe("templateCycle");
    expect(String(cycle?.params?.path)).toMatch(/^a → c → b → a$/);
  });

  it("fills {round} and {date} (the slot's local date) and maps module keys to module ids", () => {
    const template = {
      modules: [{ key: "news", name: "News", description: "", module_id: "mod-1" }],
      sub_tasks: [
        sub("collect", { module: "news", name: "Collect {date}", deliverable: "round_{round}/raw.md" }),
        sub("translate", { name: "Translate #{round}", depends_on: ["collect"], assigned_agent: "ag-1" }),
      ],
    };
    // 23:30 UTC on Dec 5 is already Dec 6 in Shanghai.
    const subs = roundSubTasks(template, { roundNo: 7, slot: new Date("2026-12-05T23:30:00Z"), tz: "Asia/Shanghai" });
    expect(subs.map((s) => [s.key, s.name, s.moduleId, s.dependsOn, s.assignedAgent])).toEqual([
      ["collect", "Collect 2026-12-06", "mod-1", [], null],
      ["translate", "Translate #7", null, ["collect"], "ag-1"],
    ]);
    expect(subs[0]!.deliverable).toBe("round_7/raw.md");
    const long = roundSubTasks(
      { modules: [], sub_tasks: [sub("x", { name: `${"n".repeat(195)}{date}` })] },
      { roundNo: 1, slot: new Date(), tz: "UTC" },
    );
    expect(long[0]!.name).toHaveLength(200);
  });

  it("takes a template from current work: keys in order, used modules only, dependencies kept inside", () => {
    const row = (id: string, moduleId: string | null = null) => ({
      id,
      moduleId,
      name: `N-${id}`,
      description: "",
      deliverable: "",
      acceptance: "",
      priority: "low" as const,
      assignedAgent: null,
    });
    const made = templateFromWork({
      modules: [
        { id: "unused", name: "Unused", description: "" },
        { id: "M", name: "Pipeline", description: "d" },
      ],
      subTasks: [row("A", "M"), row("B")],
      dependencies: [
        { subTaskId: "B", dependsOn: "A" },
        { subTaskId: "B", dependsOn: "GONE" },
      ],
    });
    if (!("template" in made)) throw new Error("expected a template");
    expect(made.template.modules).toEqual([{ key: "m1", name: "Pipeline", description: "d" }]);
    expect(made.template.sub_tasks.map((s) => [s.key, s.module, s.depends_on])).toEqual([
      ["s1", "m1", []],
      ["s2", null, ["s1"]],
    ]);
    expect(templateFromWork({ modules: [], subTasks: [], dependencies: [] })).toEqual({
      problem: expect.objectContaining({ key: "templateNothingToCopy" }),
    });
    const many = [...Array(21)].map((_, i) => row(`S${i}`));
    expect(templateFromWork({ modules: [], subTasks: many, dependencies: [] })).toEqual({
      problem: expect.objectContaining({ key: "templateTooManySubTasks" }),
    });
  });

  it("normalises: anchors an `every` schedule at the minute it was set and stores module ids by name", () => {
    const config = normalisedConfig(
      {
        schedule: { kind: "every", every: 2, unit: "days", tz: "UTC" },
        template: { modules: [{ key: "k", name: "News", description: "" }], sub_tasks: [sub("a")] },
        policy: { when_unfinished: "skip", max_open_rounds: 3, ends_at: null, max_rounds: null },
      },
      new Map([["News", "mod-9"]]),
      new Date("2026-12-05T10:11:42.500Z"),
    );
    expect(config.schedule).toEqual({
      kind: "every",
      every: 2,
      unit: "days",
      tz: "UTC",
      start_at: "2026-12-05T10:11:00.000Z",
    });
    expect(config.template.modules[0]!.module_id).toBe("mod-9");
  });
});
