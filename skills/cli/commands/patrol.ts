// `patrol …`: the server's anomaly check and the patrol records (found, filed, resolved).
import { ANOMALY_TYPES, SEVERITIES } from "../../../contract/vocabulary";
import type { Group } from "../context";
import { type Envelope, print, printList } from "../output";
import { PAGE_FLAGS, pageQuery, seg } from "./shared";
import type { PatrolRecord } from "./types";

interface Anomaly {
  type: string;
  severity: string;
  target: string;
  description: string;
  block: boolean;
}

interface Check {
  generated_at: string;
  complete: boolean;
  anomalies: Anomaly[];
}

export const patrolGroup: Group = {
  name: "patrol",
  summary: "Patrol: check, records, report, resolve",
  commands: [
    {
      name: "check",
      summary: "Current anomalies by the server's rules (writes nothing)",
      async run(c) {
        const check = await c.api.get<Check>("/api/patrol/check");
        c.show(check, () => {
          print(
            `Checked at ${check.generated_at}: ${check.anomalies.length} anomalies${check.complete ? "" : " (incomplete: too many open sub-tasks to read in one check)"}`,
          );
          printList(
            check.anomalies,
            "No anomalies",
            (a) => `[${a.severity}] ${a.type} ${a.target}: ${a.description}${a.block ? " (the cron blocks it)" : ""}`,
          );
        });
      },
    },
    {
      name: "records",
      summary: "Patrol records, newest first",
      flags: [
        {
          name: "status",
          metavar: "STATUS",
          choices: ["open", "resolved", "ignored"],
          help: "open, resolved or ignored",
        },
        { name: "type", metavar: "TYPE", choices: ANOMALY_TYPES, help: ANOMALY_TYPES.join(", ") },
        { name: "severity", metavar: "SEVERITY", choices: SEVERITIES, help: SEVERITIES.join(" or ") },
        ...PAGE_FLAGS,
      ],
      async run(c) {
        const query = { status: c.str("status"), type: c.str("type"), severity: c.str("severity"), ...pageQuery(c) };
        const body = await c.api.get<Envelope<PatrolRecord>>("/api/patrol/records", query);
        c.show(body, () =>
          printList(
            body,
            "No patrol records",
            (r) => `[${r.severity}/${r.status}] ${r.type} ${r.target}: ${r.description} (ID:${r.id})`,
          ),
        );
      },
    },
    {
      name: "report",
      summary: "File a record for an anomaly you found (one open record per type and target) [patrol]",
      flags: [
        { name: "type", metavar: "TYPE", choices: ANOMALY_TYPES, required: true, help: ANOMALY_TYPES.join(", ") },
        { name: "severity", metavar: "SEVERITY", choices: SEVERITIES, required: true, help: SEVERITIES.join(" or ") },
        { name: "description", metavar: "TEXT", required: true, help: "what is wrong ('-' reads standard input)" },
        {
          name: "sub-task-id",
          metavar: "ID",
          id: "sub_task",
          help: "the sub-task concerned (this or --agent-id, or both)",
        },
        { name: "agent-id", metavar: "ID", id: "agent", help: "the agent concerned" },
        {
          name: "action-taken",
          metavar: "TEXT",
          help: "what you already did, e.g. blocked it ('-' reads standard input)",
        },
      ],
      async run(c) {
        const record = await c.api.post<PatrolRecord>("/api/patrol/records", {
          type: c.str("type"),
          severity: c.str("severity"),
          description: await c.text("description"),
          sub_task_id: c.str("sub-task-id"),
          agent_id: c.str("agent-id"),
          action_taken: (await c.text("action-taken")) ?? "",
        });
        c.show(record, () =>
          print(`✅ Patrol record filed: ${record.id} ([${record.severity}] ${record.type} ${record.target})`),
        );
      },
    },
    {
      name: "resolve",
      summary: "Resolve an open patrol record [patrol, planner]",
      positionals: [{ name: "id", help: "patrol record id", id: "patrol_record" }],
      flags: [{ name: "note", metavar: "TEXT", help: "how it was resolved ('-' reads standard input)" }],
      async run(c) {
        const record = await c.api.post<PatrolRecord>(`/api/patrol/records/${seg(c.arg("id"))}/resolve`, {
          note: (await c.text("note")) ?? "",
        });
        c.show(record, () => print(`✅ Resolved: ${record.id}`));
      },
    },
  ],
};
