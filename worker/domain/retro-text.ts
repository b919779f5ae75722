// The stored text of a retrospective: its body as plain lines in the project's language at generation
// (briefings, notifications, the CLI and MCP show this text; the dashboard renders the body itself).
// Quotes are clipped and each section lists a few items, so the text stays under its cap. Pure.
import type { RetrospectiveBody } from "../../contract/api/retrospective-body";
import { catalogue, type Language } from "../i18n";

/** Longest stored text of a team row and of an agent row, in characters. */
export const TEXT_LIMIT = { team: 8_000, agent: 3_000 } as const;
/** Items per section in the text (the body keeps more). */
const LINES = { team: 8, agent: 5 } as const;
/** Characters quoted from an issue or a reflection in the text. */
const QUOTE = 160;

export interface RetroTextInput {
  body: RetrospectiveBody;
  language: Language;
  /** Agent id → display name; an id without one is shown as is. */
  names: ReadonlyMap<string, string>;
  /** The agent of an agent row; null for the team row. */
  agentId: string | null;
  partial: boolean;
}

const sign = (n: number): string => (n > 0 ? `+${n}` : String(n));
const clip = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
/** One line of user text: newlines would break the list. */
const oneLine = (s: string): string => s.replace(/\s+/g, " ").trim();

/** "2026-12-04" for a day, "2026-W49" for a week: the key without its kind. */
export const periodLabel = (key: string): string => key.slice(key.indexOf(":") + 1);

export function renderRetroText(input: RetroTextInput): string {
  const t = catalogue(input.language).retro;
  const { body } = input;
  const scope = input.agentId === null ? "team" : "agent";
  const max = LINES[scope];
  const name = (id: string | null): string => (id === null ? t.unknownAgent : (input.names.get(id) ?? id));
  const names = (ids: string[]): string => ids.map(name).join(t.listSeparator);
  const duration = (secs: number): string => {
    const minutes = Math.max(0, Math.round(secs / 60));
    return t.duration({
      days: Math.floor(minutes / 1440),
      hours: Math.floor((minutes % 1440) / 60),
      minutes: minutes % 60,
    });
  };
  /** A heading and up to `max` lines, with a "… and N more" line for the rest. */
  const section = <T>(head: string, items: T[], line: (item: T) => string, total = items.length): string[] => {
    if (items.length === 0) return [];
    const shown = items.slice(0, max).map(line);
    const more = total - shown.length;
    return ["", head, ...shown, ...(more > 0 ? [t.more({ count: more })] : [])];
  };

  const period = {
    label: periodLabel(body.period.key),
    zone: body.period.time_zone,
    weekly: body.period.kind === "weekly",
  };
  const c = body.counts;
  const lines = [input.agentId === null ? t.teamTitle(period) : t.agentTitle({ ...period, name: name(input.agentId) })];
  if (input.partial) lines.push(t.partial);
  const quiet = c.sub_tasks_done + c.reviews + c.reflections + c.retro_logs + c.anomalies === 0 && c.score_net === 0;
  if (quiet) {
    lines.push(t.quiet);
    return lines.join("\n");
  }
  lines.push(
    t.summary({
      done: c.sub_tasks_done,
      reviews: c.reviews,
      rejections: c.rejections,
      reworked: c.reworked_sub_tasks,
      anomalies: c.anomalies,
      net: sign(c.score_net),
    }),
  );
  lines.push(
    ...section(t.patternsHead, body.patterns, (p) => {
      const again = p.again ? t.again({ periods: p.previous_periods.map(periodLabel).join(t.listSeparator) }) : "";
      const params = { sample: oneLine(p.sample), count: p.count, again };
      return p.kind === "issue" ? t.issuePattern(params) : t.typePattern(params);
    }),
    ...section(
      t.rejectionsHead,
      body.rejections,
      (r) =>
        t.rejection({
          name: oneLine(r.sub_task_name),
          round: r.round,
          executor: name(r.executor_agent),
          issue: clip(oneLine(r.issue), QUOTE),
        }),
      c.rejections,
    ),
    ...(scope === "team"
      ? section(t.reworkHead, body.rework, (r) =>
          t.rework({ agent: name(r.agent_id), rejections: r.rejections, subTasks: r.sub_tasks }),
        )
      : []),
    ...section(t.anomaliesHead, body.anomalies, (a) =>
      t.anomaly({
        type: a.type,
        severity: a.severity,
        count: a.count,
        agents: scope === "team" ? names(a.agents) : "",
      }),
    ),
  );
  const movers = (list: typeof body.score_movers.up) =>
    list.map((m) => `${name(m.agent_id)} ${sign(m.net)}`).join(t.listSeparator);
  if (scope === "team" && body.score_movers.up.length + body.score_movers.down.length > 0) {
    lines.push("", t.scoreHead);
    if (body.score_movers.up.length > 0) lines.push(t.scoreUp({ movers: movers(body.score_movers.up) }));
    if (body.score_movers.down.length > 0) lines.push(t.scoreDown({ movers: movers(body.score_movers.down) }));
  }
  lines.push(
    ...section(t.longestHead, body.longest, (l) =>
      t.longest({
        name: oneLine(l.name),
        agent: name(l.agent_id),
        lead: duration(l.lead_seconds),
        work: l.work_seconds === null ? "" : duration(l.work_seconds),
      }),
    ),
    ...section(
      t.reflectionsHead,
      body.reflections,
      (r) =>
        t.reflection({
          agent: name(r.agent_id),
          summary: clip(oneLine(r.summary), QUOTE),
          retro: r.action === "retro",
        }),
      c.reflections + c.retro_logs,
    ),
  );
  return clip(lines.join("\n"), TEXT_LIMIT[scope]);
}
