import { describe, expect, it } from "vitest";
import { cliHandshake, LATEST_CLI_VERSION, mergeRules, RULE_SEPARATOR, withNotice } from "../../worker/domain/rules";

const vars = { workspaceRoot: "/srv/ws", projectName: "Moss" };

describe("mergeRules", () => {
  it("joins global, task and sub-task rules in that order with the separator", () => {
    expect(mergeRules(["g1", "g2"], ["t1"], ["s1"], vars)).toBe(["g1", "g2", "t1", "s1"].join(RULE_SEPARATOR));
    expect(RULE_SEPARATOR).toBe("\n\n---\n\n");
  });

  it("is empty without rules, and a single rule has no separator", () => {
    expect(mergeRules([], [], [], vars)).toBe("");
    expect(mergeRules([], ["only"], [], vars)).toBe("only");
  });

  it("replaces every {{workspace_root}} and {{project_name}} and leaves unknown variables alone", () => {
    const out = mergeRules(
      ["root {{workspace_root}} / {{workspace_root}}"],
      ["{{project_name}} {{unknown}} {{ project_name }}"],
      [],
      vars,
    );
    expect(out).toBe(`root /srv/ws / /srv/ws${RULE_SEPARATOR}Moss {{unknown}} {{ project_name }}`);
  });

  it("inserts values verbatim (no $ patterns, no second expansion)", () => {
    const out = mergeRules(["{{workspace_root}}|{{project_name}}"], [], [], {
      workspaceRoot: "$&-$1",
      projectName: "{{workspace_root}}",
    });
    expect(out).toBe("$&-$1|{{workspace_root}}");
  });

  it("keeps CJK and emoji intact", () => {
    expect(mergeRules(["测试 ✅ 🚀 日本語 {{project_name}}"], [], [], { ...vars, projectName: "项目🚀" })).toBe(
      "测试 ✅ 🚀 日本語 项目🚀",
    );
  });
});

describe("cliHandshake", () => {
  it("treats a missing version as an old CLI: instructions plus a notice with both downloads", () => {
    const h = cliHandshake(undefined, "https://moss.example/");
    expect(h.update_available).toBe(true);
    expect(h.latest_version).toBe(LATEST_CLI_VERSION);
    expect(h.update_instructions).toContain("do not run your current CLI's update command");
    expect(h.update_instructions).toContain("-o task-cli.mjs https://moss.example/api/tools/cli");
    expect(h.update_instructions).toContain("https://moss.example/api/tools/cli");
    expect(h.notice).toContain("Tool update notice");
    expect(h.notice).toContain(
      'curl -sS -H "Authorization: Bearer <your API key>" -o task-cli.mjs https://moss.example/api/tools/cli',
    );
    expect(h.notice).toContain(
      'curl -sS -H "Authorization: Bearer <your API key>" -o SKILL.md https://moss.example/api/agents/me/skill',
    );
    expect(h.notice).not.toContain("example//api");
  });

  it("tells our own Node CLI to run its update command, and upstream's Python CLI to download instead", () => {
    const ours = cliHandshake(3, "http://h", 4);
    expect(ours).toMatchObject({ update_available: true, latest_version: 4, notice: "" });
    expect(ours.update_instructions).toContain("node task-cli.mjs update");
    expect(ours.update_instructions).not.toContain("Python");
    const python = cliHandshake(2, "http://h", 4);
    expect(python.update_instructions).not.toContain("task-cli.mjs update");
    expect(python.update_instructions).toContain("it would overwrite your Python file");
    expect(cliHandshake(4, "http://h", 4)).toMatchObject({ update_available: false, update_instructions: "" });
  });

  it("tells an older CLI to update without touching the content", () => {
    const h = cliHandshake(LATEST_CLI_VERSION - 1, "http://h");
    expect(h).toMatchObject({ update_available: true, latest_version: LATEST_CLI_VERSION, notice: "" });
    expect(h.update_instructions).toContain("http://h/api/agents/me/skill");
  });

  it("says nothing to a current or newer CLI", () => {
    for (const v of [LATEST_CLI_VERSION, LATEST_CLI_VERSION + 5]) {
      expect(cliHandshake(v, "http://h")).toEqual({
        update_available: false,
        latest_version: null,
        update_instructions: "",
        notice: "",
      });
    }
  });

  it("withNotice appends after a separator, or stands alone on empty content", () => {
    expect(withNotice("rules", "")).toBe("rules");
    expect(withNotice("rules", "N")).toBe(`rules${RULE_SEPARATOR}N`);
    expect(withNotice("", "N")).toBe("N");
  });
});
