// `task schedule`, `task rounds` and `task run-round`: a task's recurring schedule and its rounds.
// The CLI only builds the JSON: the server checks cron expressions, zones and templates (so the CLI
// bundle carries no cron library), and its error says what to fix.
import { readFileSync, statSync } from "node:fs";
import { ROUND_STATUSES } from "../../../contract/vocabulary";
import { type FlagSpec, type PositionalSpec, UsageError } from "../args";
import type { Command, Ctx } from "../context";
import { CliError } from "../errors";
import { PROG } from "../help";
import { t } from "../i18n/index";
import { type Envelope, minute, print, printList } from "../output";
import { given, PAGE_FLAGS, pageQuery, seg } from "./shared";
import type { TaskRound, TaskSchedule } from "./types";

const OF_TASK: PositionalSpec = { name: "task_id", help: (m) => m.task.id, id: "task" };
/** A template is at most 20 sub-tasks of short texts; a bigger file is a mistake, not a template. */
const MAX_TEMPLATE_KB = 256;
const EVERY = /^(\d{1,6})\s*(minute|minutes|hour|hours|day|days)$/i;

const ACTION_FLAGS = ["pause", "resume", "end"] as const;
const SET_FLAGS: FlagSpec[] = [
  { name: "cron", metavar: "EXPR", help: (m) => m.schedule.cron },
  { name: "every", metavar: '"N UNIT"', help: (m) => m.schedule.every },
  { name: "tz", metavar: "ZONE", help: (m) => m.schedule.tz },
  { name: "template", metavar: "FILE.json", help: (m) => m.schedule.template },
  { name: "from-sub-tasks", switch: true, help: (m) => m.schedule.fromSubTasks },
  {
    name: "when-unfinished",
    metavar: "POLICY",
    choices: ["skip", "stack"],
    help: (m) => m.schedule.whenUnfinished,
  },
  { name: "max-open", metavar: "N", int: true, min: 1, max: 10, help: (m) => m.schedule.maxOpen },
  { name: "ends-at", metavar: "ISO", help: (m) => m.schedule.endsAt },
  { name: "max-rounds", metavar: "N", int: true, min: 1, help: (m) => m.schedule.maxRounds },
];

/** `2026-12-06T01:00:00.000Z` in Asia/Shanghai → `2026-12-06 09:00`; an unknown zone falls back to UTC. */
function inZone(iso: string, tz: string): string {
  try {
    const parts = new Intl.DateTimeFormat("en-CA", {
      timeZone: tz,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(new Date(iso));
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
    return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}`;
  } catch {
    return minute(iso);
  }
}

/** Status, the schedule in words, the next run in its zone and in UTC, and the round counts. */
function scheduleLines(s: TaskSchedule): string[] {
  const m = t().schedule;
  const when = s.recurring_config.schedule;
  const words = when.kind === "cron" ? m.cronWords(when.expr) : m.everyWords(when.every, when.unit);
  const head = s.ended_reason
    ? m.endedLine(s.status, s.ended_reason, words, when.tz)
    : m.line(s.status, words, when.tz);
  const next = s.next_run_at ? m.nextRun(inZone(s.next_run_at, when.tz), when.tz, minute(s.next_run_at)) : m.noNextRun;
  const last = s.last_round_at ? m.lastRound(minute(s.last_round_at)) : "";
  return [head, next, m.roundCounts(s.rounds_created, s.open_rounds) + last];
}

/** `"6 hours"` → `{every: 6, unit: "hours"}`. */
function parseEvery(value: string, path: string[]) {
  const match = EVERY.exec(value.trim());
  if (!match) throw new UsageError(t().schedule.badEvery(value), path);
  const unit = match[2]!.toLowerCase();
  return { every: Number(match[1]), unit: unit.endsWith("s") ? unit : `${unit}s` };
}

function readTemplate(file: string): unknown {
  const m = t().schedule;
  let text: string;
  try {
    if (statSync(file).size > MAX_TEMPLATE_KB * 1024)
      throw new CliError(m.templateTooBig(file, MAX_TEMPLATE_KB), "invalid_template_file", m.fixTemplate);
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(m.templateUnreadable(file, (err as Error).message), "invalid_template_file", m.fixTemplate);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(m.templateNotJson(file, (err as Error).message), "invalid_template_file", m.fixTemplate);
  }
}

/** The PUT body: the schedule, the policy fields given (the server fills the defaults) and the template. */
function scheduleBody(c: Ctx, path: string[]) {
  const cron = c.str("cron");
  const every = c.str("every");
  if ((cron === undefined) === (every === undefined))
    throw new UsageError(
      cron === undefined ? t().schedule.needsWhen : t().common.exactlyOne("--cron", "--every"),
      path,
    );
  const template = c.str("template");
  if ((template === undefined) === !given(c, "from-sub-tasks"))
    throw new UsageError(t().common.exactlyOne("--template", "--from-sub-tasks"), path);
  const tz = c.str("tz") ?? "UTC";
  const schedule =
    cron !== undefined ? { kind: "cron", expr: cron, tz } : { kind: "every", ...parseEvery(every!, path), tz };
  const policy = {
    when_unfinished: c.str("when-unfinished"),
    max_open_rounds: c.int("max-open"),
    ends_at: c.str("ends-at"),
    max_rounds: c.int("max-rounds"),
  };
  return template === undefined
    ? { schedule, policy, from_sub_tasks: true }
    : { version: 1, schedule, policy, template: readTemplate(template) };
}

export const scheduleCommand: Command = {
  name: "schedule",
  summary: (m) => m.schedule.show,
  positionals: [OF_TASK],
  flags: [
    ...SET_FLAGS,
    ...ACTION_FLAGS.map((name): FlagSpec => ({ name, switch: true, help: (m) => m.schedule[name] })),
  ],
  async run(c) {
    const path = ["task", "schedule"];
    const base = `/api/tasks/${seg(c.arg("task_id"))}/schedule`;
    const actions = ACTION_FLAGS.filter((name) => given(c, name));
    const setting = SET_FLAGS.some((f) => given(c, f.name));
    if (actions.length > 1 || (actions.length === 1 && setting)) throw new UsageError(t().schedule.oneAction, path);
    const m = t().schedule;
    if (setting) {
      const s = await c.api.put<TaskSchedule>(base, scheduleBody(c, path));
      c.show(s, () => print(m.set, ...scheduleLines(s)));
    } else if (actions[0] === "pause") {
      const s = await c.api.post<TaskSchedule>(`${base}/pause`);
      c.show(s, () => print(m.paused(`${PROG} task schedule ${s.task_id} --resume`)));
    } else if (actions[0] === "resume") {
      const s = await c.api.post<TaskSchedule>(`${base}/resume`);
      c.show(s, () => print(m.resumed, ...scheduleLines(s).slice(1, 2)));
    } else if (actions[0] === "end") {
      const s = await c.api.delete<TaskSchedule>(base);
      c.show(s, () => print(m.ended(s.rounds_created)));
    } else {
      const s = await c.api.get<TaskSchedule>(base);
      c.show(s, () => print(...scheduleLines(s)));
    }
  },
};

/** `Round 3 [open] 2026-12-05 09:00Z 1/3 done, manual (ID:…)`; a skipped slot has no number. */
function roundLine(r: TaskRound): string {
  const m = t().schedule;
  const name = r.round_no === null ? m.skippedRound : m.round(r.round_no);
  const notes = [
    r.round_no === null ? "" : m.done(r.sub_tasks.done, r.sub_tasks.total),
    r.skip_reason ?? "",
    r.missed > 0 ? m.missed(r.missed) : "",
    r.round_key.startsWith("manual:") ? m.manual : "",
  ].filter(Boolean);
  return `${name} [${r.status}] ${minute(r.scheduled_for)} ${notes.join(", ")} (ID:${r.id})`;
}

export const roundsCommand: Command = {
  name: "rounds",
  summary: (m) => m.schedule.rounds,
  positionals: [OF_TASK],
  flags: [
    {
      name: "status",
      metavar: "STATUS",
      choices: ROUND_STATUSES,
      help: (m) => m.schedule.status(m.common.oneOf(ROUND_STATUSES)),
    },
    ...PAGE_FLAGS,
  ],
  async run(c) {
    const query = { status: c.str("status"), ...pageQuery(c) };
    const body = await c.api.get<Envelope<TaskRound>>(`/api/tasks/${seg(c.arg("task_id"))}/rounds`, query);
    c.show(body, () => printList(body, t().schedule.noRounds, roundLine));
  },
};

export const runRoundCommand: Command = {
  name: "run-round",
  summary: (m) => m.schedule.runRound,
  positionals: [OF_TASK],
  async run(c) {
    const r = await c.api.post<TaskRound>(`/api/tasks/${seg(c.arg("task_id"))}/rounds`);
    const m = t().schedule;
    c.show(r, () =>
      r.round_no === null
        ? print(m.notStarted(r.status, r.skip_reason ?? ""))
        : print(m.started(r.round_no, r.sub_tasks.total, r.id), m.subTasksOf(`${PROG} st list --round ${r.id}`)),
    );
  },
};
