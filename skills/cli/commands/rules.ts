// `rules` (the merged rules to follow, plus the CLI update handshake) and `rule create`.

import { UsageError } from "../args";
import type { Command, Group } from "../context";
import { print } from "../output";
import { CLI_VERSION } from "../version";

interface MergedRules {
  content: string;
  update_available: boolean;
  latest_version: number | null;
  update_instructions: string;
}

interface Rule {
  id: string;
  scope: string;
}

/** The lines announcing a newer CLI (shared with `briefing`). */
export const updateNotice = (latest: number | null, instructions: string) => [
  `⚠️ Tool update available (v${CLI_VERSION} → v${latest ?? "?"}): run \`node task-cli.mjs update\``,
  ...(instructions ? [instructions] : []),
];

export const rulesCommand: Command = {
  name: "rules",
  summary: "The rules in full (global, then the task's and sub-task's); `briefing` shows them when they change",
  flags: [
    { name: "task-id", metavar: "ID", id: "task", help: "add this task's rules" },
    { name: "sub-task-id", metavar: "ID", id: "sub_task", help: "add this sub-task's rules" },
  ],
  async run(c) {
    const rules = await c.api.get<MergedRules>("/api/rules", {
      cli_version: CLI_VERSION,
      task_id: c.str("task-id"),
      sub_task_id: c.str("sub-task-id"),
    });
    c.show(rules, () => {
      print(rules.content || "(no rules)");
      if (rules.update_available) print("", ...updateNotice(rules.latest_version, rules.update_instructions));
    });
  },
};

export const ruleGroup: Group = {
  name: "rule",
  summary: "Rules of a task or sub-task: create",
  commands: [
    {
      name: "create",
      summary: "Add a rule to a task or a sub-task (give exactly one of --task-id, --sub-task-id) [planner]",
      positionals: [{ name: "content", help: "the rule, Markdown ('-' reads standard input)" }],
      flags: [
        { name: "task-id", metavar: "ID", id: "task", help: "a rule for this task" },
        { name: "sub-task-id", metavar: "ID", id: "sub_task", help: "a rule for this sub-task" },
      ],
      async run(c) {
        const taskId = c.str("task-id");
        const subTaskId = c.str("sub-task-id");
        if ((taskId === undefined) === (subTaskId === undefined))
          throw new UsageError("give exactly one of --task-id and --sub-task-id", ["rule", "create"]);
        const content = await c.text("content");
        const body =
          taskId !== undefined
            ? { scope: "task", content, task_id: taskId }
            : { scope: "sub_task", content, sub_task_id: subTaskId };
        const rule = await c.api.post<Rule>("/api/rules", body);
        c.show(rule, () => print(`✅ Rule created: ${rule.id} (${rule.scope})`));
      },
    },
  ],
};
