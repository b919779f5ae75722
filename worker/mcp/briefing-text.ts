// The briefing as the text of the `briefing` prompt: the JSON of GET /api/agents/me/briefing, one
// line per item, empty sections left out. The CLI's renderer (skills/cli/commands/briefing.ts) cannot
// be imported here: its module graph reaches the CLI's Node-only files.

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
  my_sub_tasks: Item[];
  queue: Record<string, Item[] | undefined>;
  next_steps: string[];
  truncated: boolean;
}

const line = (i: Item) =>
  i.severity
    ? `  - [${i.severity}] ${i.type ?? "anomaly"}: ${i.description ?? ""} · ID:${i.id}`
    : `  - ${i.name ?? "(unnamed)"}${i.status ? ` · ${i.status}` : ""}${i.round !== undefined ? ` · round ${i.round}` : ""} · ID:${i.id}`;

const section = (title: string, items: Item[] | undefined): string[] =>
  items && items.length > 0 ? [`${title} (${items.length}):`, ...items.map(line)] : [];

export function briefingText(b: BriefingJson): string {
  const of = b.score.total_agents !== undefined ? ` of ${b.score.total_agents}` : "";
  const out = [
    `You are ${b.agent.name} (${b.agent.role}${b.agent.status === "active" ? "" : `, ${b.agent.status}`}) · score ${b.score.total_score} · rank ${b.score.rank}${of}`,
    "The steps name task-cli commands; each is a tool here (see the server instructions).",
    ...(b.next_steps.length === 0
      ? ["Next steps: nothing to do right now."]
      : ["Next steps:", ...b.next_steps.map((s, i) => `  ${i + 1}. ${s}`)]),
    ...section("My sub-tasks", b.my_sub_tasks),
    ...Object.entries(b.queue).flatMap(([name, items]) => section(name.replace(/_/g, " "), items)),
  ];
  if (b.rules.unchanged)
    out.push(`Rules unchanged since your last briefing (rev ${b.rules.revision ?? "?"}): the rules prompt has them.`);
  else out.push(`Rules${b.rules.revision ? ` (rev ${b.rules.revision})` : ""}:`, b.rules.content || "(no rules)");
  if (b.truncated || b.rules.truncated)
    out.push("(some lists or texts were shortened: the list tools give everything)");
  return out.join("\n");
}
