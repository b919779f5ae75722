// `patrol …`: the server's anomaly check and the patrol records (found, filed, resolved).
import { ANOMALY_TYPES, PATROL_RECORD_STATUSES, SEVERITIES } from "../../../contract/vocabulary";
import type { Group } from "../context";
import { t } from "../i18n/index";
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
  summary: (m) => m.patrol.group,
  commands: [
    {
      name: "check",
      summary: (m) => m.patrol.check,
      async run(c) {
        const check = await c.api.get<Check>("/api/patrol/check");
        c.show(check, () => {
          const m = t().patrol;
          print(m.checked(check.generated_at, check.anomalies.length) + (check.complete ? "" : m.incomplete));
          printList(
            check.anomalies,
            m.noAnomalies,
            (a) => `[${a.severity}] ${a.type} ${a.target}: ${a.description}${a.block ? m.cronBlocks : ""}`,
          );
        });
      },
    },
    {
      name: "records",
      summary: (m) => m.patrol.records,
      flags: [
        {
          name: "status",
          metavar: "STATUS",
          choices: PATROL_RECORD_STATUSES,
          help: (m) => m.common.oneOf(PATROL_RECORD_STATUSES),
        },
        { name: "type", metavar: "TYPE", choices: ANOMALY_TYPES, help: () => ANOMALY_TYPES.join(", ") },
        { name: "severity", metavar: "SEVERITY", choices: SEVERITIES, help: (m) => m.common.oneOf(SEVERITIES) },
        ...PAGE_FLAGS,
      ],
      async run(c) {
        const query = { status: c.str("status"), type: c.str("type"), severity: c.str("severity"), ...pageQuery(c) };
        const body = await c.api.get<Envelope<PatrolRecord>>("/api/patrol/records", query);
        c.show(body, () =>
          printList(
            body,
            t().patrol.none,
            (r) => `[${r.severity}/${r.status}] ${r.type} ${r.target}: ${r.description} (ID:${r.id})`,
          ),
        );
      },
    },
    {
      name: "report",
      summary: (m) => m.patrol.report,
      flags: [
        { name: "type", metavar: "TYPE", choices: ANOMALY_TYPES, required: true, help: () => ANOMALY_TYPES.join(", ") },
        {
          name: "severity",
          metavar: "SEVERITY",
          choices: SEVERITIES,
          required: true,
          help: (m) => m.common.oneOf(SEVERITIES),
        },
        {
          name: "description",
          metavar: "TEXT",
          required: true,
          help: (m) => m.common.readsStdin(m.patrol.description),
        },
        { name: "sub-task-id", metavar: "ID", id: "sub_task", help: (m) => m.patrol.subTask },
        { name: "agent-id", metavar: "ID", id: "agent", help: (m) => m.patrol.agent },
        { name: "action-taken", metavar: "TEXT", help: (m) => m.common.readsStdin(m.patrol.actionTaken) },
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
          print(t().patrol.filed(record.id, `[${record.severity}] ${record.type} ${record.target}`)),
        );
      },
    },
    {
      name: "resolve",
      summary: (m) => m.patrol.resolve,
      positionals: [{ name: "id", help: (m) => m.patrol.id, id: "patrol_record" }],
      flags: [{ name: "note", metavar: "TEXT", help: (m) => m.common.readsStdin(m.patrol.note) }],
      async run(c) {
        const record = await c.api.post<PatrolRecord>(`/api/patrol/records/${seg(c.arg("id"))}/resolve`, {
          note: (await c.text("note")) ?? "",
        });
        c.show(record, () => print(t().patrol.resolved(record.id)));
      },
    },
  ],
};
