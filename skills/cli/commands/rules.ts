// `rules` (the merged rules to follow, plus the CLI update handshake) and `rule create`.

import { UsageError } from "../args";
import type { Command, Group } from "../context";
import { t } from "../i18n/index";
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
  t().rules.updateAvailable(CLI_VERSION, String(latest ?? "?")),
  ...(instructions ? [instructions] : []),
];

export const rulesCommand: Command = {
  name: "rules",
  summary: (m) => m.rules.summary,
  flags: [
    { name: "task-id", metavar: "ID", id: "task", help: (m) => m.rules.addTask },
    { name: "sub-task-id", metavar: "ID", id: "sub_task", help: (m) => m.rules.addSubTask },
  ],
  async run(c) {
    const rules = await c.api.get<MergedRules>("/api/rules", {
      cli_version: CLI_VERSION,
      task_id: c.str("task-id"),
      sub_task_id: c.str("sub-task-id"),
    });
    c.show(rules, () => {
      print(rules.content || t().rules.none);
      if (rules.update_available) print("", ...updateNotice(rules.latest_version, rules.update_instructions));
    });
  },
};

export const ruleGroup: Group = {
  name: "rule",
  summary: (m) => m.rules.group,
  commands: [
    {
      name: "create",
      summary: (m) => m.rules.create,
      positionals: [{ name: "content", help: (m) => m.common.readsStdin(m.rules.content) }],
      flags: [
        { name: "task-id", metavar: "ID", id: "task", help: (m) => m.rules.forTask },
        { name: "sub-task-id", metavar: "ID", id: "sub_task", help: (m) => m.rules.forSubTask },
      ],
      async run(c) {
        const taskId = c.str("task-id");
        const subTaskId = c.str("sub-task-id");
        if ((taskId === undefined) === (subTaskId === undefined))
          throw new UsageError(t().common.exactlyOne("--task-id", "--sub-task-id"), ["rule", "create"]);
        const content = await c.text("content");
        const body =
          taskId !== undefined
            ? { scope: "task", content, task_id: taskId }
            : { scope: "sub_task", content, sub_task_id: subTaskId };
        const rule = await c.api.post<Rule>("/api/rules", body);
        c.show(rule, () => print(t().rules.created(rule.id, rule.scope)));
      },
    },
  ],
};
