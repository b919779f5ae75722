// The briefing as the text of the `briefing` prompt: the JSON of GET /api/agents/me/briefing, one
// line per item, empty sections left out. The CLI's renderer (skills/cli/commands/briefing.ts) cannot
// be imported here: its module graph reaches the CLI's Node-only files. Texts: i18n/<lang>/mcp.ts.
import { LESSON_LIMITS } from "../domain/briefing-lessons";
import { quote } from "../domain/text-rules";
import { type Catalogue, catalogue, type Language } from "../i18n";

interface Item {
  id: string;
  name?: string;
  status?: string;
  type?: string;
  severity?: string;
  description?: string;
  round?: number;
}

/** The fields of the briefing read here (worker/routes/briefing.ts has the whole schema). */
export interface BriefingJson {
  agent: { name: string; role: string; status: string };
  rules: { content: string; truncated: boolean; revision?: string; unchanged?: boolean };
  score: { total_score: number; rank: number; total_agents?: number };
  retrospective?: {
    id: string;
    period_key: string;
    text: string;
    findings?: { id: string; sample: string; count: number; rule_id: string | null }[];
  } | null;
  my_sub_tasks: Item[];
  queue: Record<string, Item[] | undefined>;
  /** Absent from servers before the team memory. */
  lessons?: { sub_task_id: string; kind: string; id: string; snippet: string }[];
  next_steps: string[];
  truncated: boolean;
}

type Texts = Catalogue["mcp"]["briefingText"];

const line = (i: Item, t: Texts) =>
  i.severity
    ? `  - [${i.severity}] ${i.type ?? t.anomaly}: ${i.description ?? ""} · ID:${i.id}`
    : `  - ${i.name ?? t.unnamed}${i.status ? ` · ${i.status}` : ""}${i.round !== undefined ? ` · ${t.round({ round: i.round })}` : ""} · ID:${i.id}`;

const section = (title: string, items: Item[] | undefined, t: Texts): string[] =>
  items && items.length > 0 ? [`${title} (${items.length}):`, ...items.map((i) => line(i, t))] : [];

/** A queue list's heading: the catalogue's, else its key in words. */
const queueTitle = (name: string, t: Texts) => (t.queue as Record<string, string>)[name] ?? name.replace(/_/g, " ");

/** The retrospective's stored text, then a planner's findings, one line each. */
function retrospectiveLines(r: BriefingJson["retrospective"], t: Texts): string[] {
  if (!r) return [];
  const period = r.period_key.slice(r.period_key.indexOf(":") + 1);
  const findings = r.findings ?? [];
  return [
    t.retrospective({ period, id: r.id }),
    r.text,
    ...(findings.length === 0 ? [] : [t.findings]),
    ...findings.map(
      (f) =>
        `  - ${f.id} ×${f.count}: ${JSON.stringify(f.sample)}${f.rule_id ? ` · ${t.ruled({ ruleId: f.rule_id })}` : ""}`,
    ),
  ];
}

/** The lessons, one quoted line each, naming the sub-task they are for (when it is listed above). */
function lessonLines(b: BriefingJson, t: Texts): string[] {
  const lessons = b.lessons ?? [];
  if (lessons.length === 0) return [];
  const names = new Map([...b.my_sub_tasks, ...(b.queue.available ?? [])].map((s) => [s.id, s.name]));
  return [
    t.lessons,
    ...lessons.map((l) => {
      const name = names.get(l.sub_task_id);
      return `  - [${l.kind}] ${quote(l.snippet, LESSON_LIMITS.snippet)}${name ? ` · ${t.lessonFor({ name })}` : ""} · ID:${l.id}`;
    }),
  ];
}

export function briefingText(b: BriefingJson, lang: Language): string {
  const all = catalogue(lang).mcp;
  const t = all.briefingText;
  const total = b.score.total_agents !== undefined ? String(b.score.total_agents) : "";
  const status = b.agent.status === "active" ? "" : b.agent.status;
  const out = [
    t.who({ name: b.agent.name, role: b.agent.role, status, score: b.score.total_score, rank: b.score.rank, total }),
    t.stepsAreTools,
    ...(b.next_steps.length === 0 ? [t.nothingToDo] : [t.nextSteps, ...b.next_steps.map((s, i) => `  ${i + 1}. ${s}`)]),
    ...retrospectiveLines(b.retrospective, t),
    ...section(t.mySubTasks, b.my_sub_tasks, t),
    ...Object.entries(b.queue).flatMap(([name, items]) => section(queueTitle(name, t), items, t)),
    ...lessonLines(b, t),
  ];
  if (b.rules.unchanged) out.push(t.rulesUnchanged({ revision: b.rules.revision ?? "?" }));
  else out.push(t.rulesHeading({ revision: b.rules.revision ?? "" }), b.rules.content || all.prompts.noRules);
  if (b.truncated || b.rules.truncated) out.push(t.shortened);
  return out.join("\n");
}
