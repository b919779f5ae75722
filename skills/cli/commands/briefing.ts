// `briefing`: one call for the whole wake-up picture (who I am, score, next steps, my sub-tasks,
// my role's queue, reflections, rules), kept short: every byte is read on every wake-up. Whatever
// the next steps already name is not repeated below them; empty sections are left out; the rules
// come only when they changed. The rendering is generic over the queue's lists, so a new list on the
// server shows up without a CLI change.
import type { Command } from "../context";
import { t } from "../i18n/index";
import { heading, print, reviewMark, signed } from "../output";
import { CLI_VERSION } from "../version";
import { updateNotice } from "./rules";

interface Review {
  round: number;
  result: string;
  score: number | null;
  issues: string;
}

interface MySubTask {
  id: string;
  name: string;
  status: string;
  priority: string;
  rework_count: number;
  latest_review: Review | null;
}

/** A sub-task brief, a submission, a task brief or a patrol record: only what its one line needs. */
interface QueueItem {
  id: string;
  name?: string;
  status?: string;
  priority?: string;
  type?: string;
  severity?: string;
  description?: string;
  /** Submissions: the round this review would be, and the verdict before it. */
  round?: number;
  latest_review?: Review | null;
}

/** A reflection or a rejection of similar past work: another agent's words. */
interface Lesson {
  sub_task_id: string;
  kind: string;
  id: string;
  snippet: string;
}

export interface Briefing {
  agent: { name: string; role: string; status: string };
  cli: { update_available: boolean; latest_version: number | null; update_instructions: string };
  /** `revision` and `unchanged` are absent from servers before rules revisions. */
  rules: { content: string; truncated: boolean; revision?: string; unchanged?: boolean };
  /** Counts are optional: the server may send only the score and rank. */
  score: { total_score: number; rank: number; total_agents?: number; reward_count?: number; penalty_count?: number };
  recent_score_changes: { score_delta: number; reason: string }[];
  reflections: { summary: string }[];
  /** Past lessons from the team memory for the sub-tasks below (absent from servers before it). */
  lessons?: Lesson[];
  my_sub_tasks: MySubTask[];
  queue: Record<string, QueueItem[]>;
  next_steps: string[];
  truncated: boolean;
}

/** Lines per list, characters of all list lines together, reflections shown: the commands named print the rest. */
const LIST_LINES = 5;
const LISTS_CHARS = 900;
const REFLECTIONS = 3;
/** Characters of a reflection, a score reason or an anomaly's description on its line. */
const LINE_TEXT = 160;
/** Lessons shown, and characters of each: `briefing --json` has them all, `search` more. */
const LESSONS = 3;
const LESSON_TEXT = 120;

/** Where the rest of each known list is (`briefing` lists are capped). */
const MORE: Record<string, string> = {
  available: "st available",
  awaiting_review: "st list --status review",
  blocked: "st list --status blocked",
  tasks_to_decompose: "task list --status planning",
  recently_completed: "task list --status completed",
  open_anomalies: "patrol records --status open",
};

/** Continuation lines of a multi-line text, indented under their label. */
const indent = (text: string, by: string) => text.replace(/\r?\n/g, `\n${by}`);

/** At most `max` characters (code points), with an ellipsis when cut. */
const short = (text: string, max = LINE_TEXT) =>
  [...text].length <= max ? text : `${[...text].slice(0, max - 1).join("")}…`;

const verdict = (r: Review) => `${t().briefing.round(r.round)} ${reviewMark(r.result)} ${r.result} ${r.score ?? "-"}/5`;

/** One line per queue item. */
export function queueLine(item: QueueItem): string {
  const m = t().briefing;
  const id = ` · ID:${item.id}`;
  if (item.severity) return `[${item.severity}] ${item.type ?? m.anomaly}: ${short(item.description ?? "")}${id}`;
  const parts = [short(item.name ?? m.unnamed)];
  if (item.priority === "high") parts.push(m.highPriority);
  if (item.round !== undefined)
    parts.push(
      `${m.round(item.round)}${item.latest_review ? ` (${verdict(item.latest_review)}${item.latest_review.issues ? `: ${short(item.latest_review.issues, 100)}` : ""})` : ""}`,
    );
  return `${parts.join(" · ")}${id}`;
}

function mySubTaskLine(s: MySubTask): string {
  const review = s.latest_review ? ` · ${verdict(s.latest_review)}` : "";
  return `${short(s.name)} · ${s.status}${review} · ID:${s.id}`;
}

/**
 * A section of items, leaving out those a next step already covers (it names them and says what to
 * do); nothing when none are left. Lines come out of a shared character budget (`room`), so a full
 * queue cannot make the wake-up long: what does not fit is counted and the command that lists it named.
 */
function section<T extends { id: string }>(
  title: string,
  items: T[],
  steps: string,
  line: (item: T) => string,
  room: { chars: number },
  more?: string,
): string[] {
  const rest = items.filter((item) => !steps.includes(item.id));
  if (rest.length === 0) return [];
  const shown: string[] = [];
  for (const item of rest.slice(0, LIST_LINES)) {
    const text = `  - ${indent(line(item), "    ")}`;
    if (shown.length > 0 && text.length > room.chars) break;
    room.chars -= text.length;
    shown.push(text);
  }
  const hidden = rest.length - shown.length;
  const m = t().briefing;
  const tail = hidden > 0 ? [m.hidden(hidden, more ? `node task-cli.mjs ${more}` : "")] : [];
  return [m.sectionTitle(title, rest.length, rest.length < items.length), ...shown, ...tail];
}

/**
 * Lessons as quotations (JSON strings: a planted newline or "Next:" stays inside the quotes), so
 * another agent's words never read as this CLI's own instructions.
 */
function lessonLines(lessons: Lesson[]): string[] {
  if (lessons.length === 0) return [];
  const m = t().briefing;
  const shown = lessons
    .slice(0, LESSONS)
    .map((l) => `  - [${l.kind}] ${JSON.stringify(short(l.snippet, LESSON_TEXT))} · ID:${l.id.slice(0, 8)}`);
  const hidden = lessons.length - shown.length;
  return [
    m.lessons('node task-cli.mjs search "<words>"'),
    ...shown,
    ...(hidden > 0 ? [m.hidden(hidden, "node task-cli.mjs briefing --json")] : []),
  ];
}

function rulesLines(rules: Briefing["rules"]): string[] {
  const m = t().briefing;
  if (rules.unchanged) return [m.rulesUnchanged(rules.revision ?? "?", "node task-cli.mjs briefing --rules full")];
  const out = [m.rulesHeading(rules.revision), rules.content || t().rules.none];
  if (rules.truncated) out.push(m.rulesShortened);
  return out;
}

export function renderBriefing(b: Briefing): string[] {
  const m = t().briefing;
  const { total_score, rank, total_agents, reward_count, penalty_count } = b.score;
  const counts =
    reward_count !== undefined && penalty_count !== undefined ? ` · ${m.counts(reward_count, penalty_count)}` : "";
  const status = b.agent.status === "active" ? "" : b.agent.status;
  const out = [
    `${m.who(b.agent.name, b.agent.role, status)} · ${m.score(total_score)} · ${m.rank(rank, total_agents)}${counts}`,
  ];
  if (b.recent_score_changes.length > 0)
    out.push(
      m.recent(
        b.recent_score_changes
          .slice(0, 3)
          .map((c) => `${signed(c.score_delta)} ${short(c.reason, 60)}`)
          .join("; "),
      ),
    );
  if (b.cli.update_available) out.push(...updateNotice(b.cli.latest_version, b.cli.update_instructions));

  if (b.next_steps.length === 0) out.push(m.nothingToDo);
  else out.push(m.nextSteps, ...b.next_steps.map((step, i) => `  ${i + 1}. ${indent(step, "     ")}`));

  const steps = b.next_steps.join("\n");
  const room = { chars: LISTS_CHARS };
  out.push(...section(m.mySubTasks, b.my_sub_tasks, steps, mySubTaskLine, room, "st mine"));
  const headings: Record<string, string | undefined> = m.queue;
  for (const [name, items] of Object.entries(b.queue))
    out.push(...section(headings[name] ?? heading(name), items, steps, queueLine, room, MORE[name]));

  out.push(...lessonLines(b.lessons ?? []));
  if (b.reflections.length > 0) {
    out.push(
      m.reflections,
      ...b.reflections.slice(0, REFLECTIONS).map((r) => `  - ${indent(short(r.summary), "    ")}`),
    );
  }
  out.push(...rulesLines(b.rules));
  if (b.truncated) out.push(m.listsShortened);
  return out;
}

export const briefingCommand: Command = {
  name: "briefing",
  summary: (m) => m.briefing.summary,
  flags: [{ name: "rules", metavar: "full", choices: ["full"], help: (m) => m.briefing.rulesFlag }],
  async run(c) {
    const b = await c.api.get<Briefing>("/api/agents/me/briefing", { cli_version: CLI_VERSION, rules: c.str("rules") });
    c.show(b, () => print(...renderBriefing(b)));
  },
};
