// `briefing`: one call for the whole wake-up picture (who I am, score, next steps, my sub-tasks,
// my role's queue, reflections, rules). The rendering is generic over the queue's lists, so a new
// list on the server shows up without a CLI change.
import type { Command } from "../context";
import { heading, print, reviewMark, signed } from "../output";
import { CLI_VERSION } from "../version";
import { updateNotice } from "./rules";

interface LatestReview {
  round: number;
  result: string;
  score: number | null;
  comment: string;
  issues: string;
}

interface MySubTask {
  id: string;
  name: string;
  status: string;
  priority: string;
  rework_count: number;
  latest_review: LatestReview | null;
}

/** A sub-task brief, a task brief or a patrol record: only what the one-line rendering needs. */
interface QueueItem {
  id: string;
  name?: string;
  status?: string;
  priority?: string;
  type?: string;
  severity?: string;
  description?: string;
}

export interface Briefing {
  agent: { name: string; role: string; status: string };
  generated_at: string;
  cli: { update_available: boolean; latest_version: number | null; update_instructions: string };
  rules: { content: string; truncated: boolean };
  /** Counts are optional: the server may send only the score and rank. */
  score: { total_score: number; rank: number; total_agents?: number; reward_count?: number; penalty_count?: number };
  recent_score_changes: { score_delta: number; reason: string }[];
  reflections: { summary: string; created_at: string }[];
  my_sub_tasks: MySubTask[];
  queue: Record<string, QueueItem[]>;
  next_steps: string[];
  truncated: boolean;
}

/** Continuation lines of a multi-line text, indented under their label. */
const indent = (text: string, by: string) => text.replace(/\r?\n/g, `\n${by}`);

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function queueLine(item: QueueItem): string {
  if (item.severity) return `[${item.severity}] ${item.type ?? "anomaly"}: ${item.description ?? ""} (ID:${item.id})`;
  const tags = [item.status, item.priority].filter(Boolean).join(", ");
  return `${tags ? `[${tags}] ` : ""}${item.name ?? "(unnamed)"} (ID:${item.id})`;
}

function mySubTaskLines(s: MySubTask): string[] {
  const lines = [`  [${s.status}, ${s.priority}] ${s.name} (ID:${s.id})${s.rework_count > 0 ? ` · reworked ${plural(s.rework_count, "time")}` : ""}`];
  const r = s.latest_review;
  if (r) {
    lines.push(`    Latest review: round ${r.round} ${reviewMark(r.result)} ${r.result}, score ${r.score ?? "-"}/5${r.comment ? ` — ${indent(r.comment, "      ")}` : ""}`);
    if (r.issues) lines.push(`    Issues: ${indent(r.issues, "      ")}`);
  }
  return lines;
}

export function renderBriefing(b: Briefing): string[] {
  const { total_score, rank, total_agents, reward_count, penalty_count } = b.score;
  const counts = reward_count !== undefined && penalty_count !== undefined ? ` · ${plural(reward_count, "reward")}, ${plural(penalty_count, "penalty", "penalties")}` : "";
  const out = [
    `👤 ${b.agent.name} (${b.agent.role}, ${b.agent.status}) · ${b.generated_at}`,
    `🏆 Score ${total_score} · rank #${rank}${total_agents !== undefined ? ` of ${total_agents}` : ""}${counts}`,
  ];
  for (const change of b.recent_score_changes) out.push(`   ${signed(change.score_delta)} ${change.reason}`);
  if (b.cli.update_available) out.push("", ...updateNotice(b.cli.latest_version, b.cli.update_instructions));

  out.push("", "Next steps:");
  if (b.next_steps.length === 0) out.push("  Nothing to do right now.");
  b.next_steps.forEach((step, i) => out.push(`  ${i + 1}. ${indent(step, "     ")}`));

  out.push("");
  if (b.my_sub_tasks.length === 0) out.push("My sub-tasks: none");
  else out.push(`My sub-tasks (${b.my_sub_tasks.length}):`, ...b.my_sub_tasks.flatMap(mySubTaskLines));

  const lists = Object.entries(b.queue).filter(([, items]) => items.length > 0);
  if (lists.length === 0) out.push("", "Queue: nothing waiting");
  for (const [name, items] of lists) out.push("", `${heading(name)} (${items.length}):`, ...items.map((item) => `  ${queueLine(item)}`));

  if (b.reflections.length > 0) {
    out.push("", "Reflections:", ...b.reflections.map((r) => `  - ${indent(r.summary, "    ")}`));
  }
  out.push("", "── Rules ──", b.rules.content || "(no rules)");
  if (b.rules.truncated) out.push("(rules shortened: run `rules` for the full text)");
  if (b.truncated) out.push("", "(some lists were shortened: use `st mine`, `st available`, `st list` … for everything)");
  return out;
}

export const briefingCommand: Command = {
  name: "briefing",
  summary: "Everything for this wake-up: score, next steps, your sub-tasks, your queue, rules",
  async run(c) {
    const b = await c.api.get<Briefing>("/api/agents/me/briefing", { cli_version: CLI_VERSION });
    c.show(b, () => print(...renderBriefing(b)));
  },
};
