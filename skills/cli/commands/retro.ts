// `retro …`: the daily and weekly retrospectives (what the team's reviews, rework and anomalies
// repeated), reading them, writing one on demand, and turning a finding into a task rule.
import { type PositionalSpec, UsageError } from "../args";
import type { Ctx, Group } from "../context";
import { PROG } from "../help";
import { t } from "../i18n/index";
import { type Envelope, print, printList } from "../output";
import { given, PAGE_FLAGS, pageQuery, seg } from "./shared";
import type { FindingRule, Retro, RetroSummary } from "./types";

// Named `retro` and `finding`, not `…id`: a retrospective has no short id (only the kinds of
// worker/domain/ids.ts do), and a finding id is `f1`, not a record's id.
const RETRO_ID: PositionalSpec = { name: "retro", help: (m) => m.retro.id };
const RETRO_ID_OR_LATEST: PositionalSpec = { name: "retro", help: (m) => m.retro.idOrLatest, optional: true };
const LATEST = "latest";

/** The `--team`/`--mine` choice as the list's scope (agents read the team's rows and their own). */
function scopeOf(c: Ctx, path: string[]): "team" | "agent" | undefined {
  if (given(c, "team") && given(c, "mine")) throw new UsageError(t().common.exactlyOne("--team", "--mine"), path);
  return given(c, "team") ? "team" : given(c, "mine") ? "agent" : undefined;
}

const retroLine = (r: RetroSummary) => t().retro.line(r.period_key, r.scope, r.partial ? t().retro.partial : "", r.id);

/** The id `retro show` reads: the one given, or the newest the agent can read (null when none). */
async function idToShow(c: Ctx): Promise<string | null> {
  const asked = c.str("retro");
  if (asked !== undefined && asked !== LATEST) return asked;
  const newest = await c.api.get<Envelope<RetroSummary>>("/api/retrospectives", { page: 1, page_size: 1 });
  return newest.items[0]?.id ?? null;
}

export const retroGroup: Group = {
  name: "retro",
  summary: (m) => m.retro.group,
  commands: [
    {
      name: "list",
      summary: (m) => m.retro.list,
      flags: [
        { name: "team", switch: true, help: (m) => m.retro.team },
        { name: "mine", switch: true, help: (m) => m.retro.mine },
        { name: "weekly", switch: true, help: (m) => m.retro.weeklyFilter },
        ...PAGE_FLAGS,
      ],
      async run(c) {
        const query = {
          scope: scopeOf(c, ["retro", "list"]),
          period_kind: given(c, "weekly") ? "weekly" : undefined,
          ...pageQuery(c),
        };
        const body = await c.api.get<Envelope<RetroSummary>>("/api/retrospectives", query);
        c.show(body, () => printList(body, t().retro.none, retroLine));
      },
    },
    {
      name: "show",
      summary: (m) => m.retro.show,
      positionals: [RETRO_ID_OR_LATEST],
      async run(c) {
        const id = await idToShow(c);
        if (id === null) return c.show(null, () => print(t().retro.none));
        const r = await c.api.get<Retro>(`/api/retrospectives/${seg(id)}`);
        c.show(r, () => print(r.text, "", t().retro.logLessons(`${PROG} log create retro "…" --retro ${r.id}`)));
      },
    },
    {
      name: "run",
      summary: (m) => m.retro.run,
      flags: [
        { name: "weekly", switch: true, help: (m) => m.retro.weekly },
        { name: "date", metavar: "YYYY-MM-DD", help: (m) => m.retro.date },
      ],
      async run(c) {
        const body = { period: given(c, "weekly") ? "weekly" : "daily", date: c.str("date") };
        const { status, body: r } = await c.api.postWithStatus<RetroSummary>("/api/retrospectives", body);
        const m = t().retro;
        c.show(r, () =>
          print(
            status === 201 ? m.created(r.period_key, r.id) : m.exists(r.period_key, r.id),
            m.read(`${PROG} retro show ${r.id}`),
          ),
        );
      },
    },
    {
      name: "rule",
      summary: (m) => m.retro.rule,
      positionals: [RETRO_ID, { name: "finding", help: (m) => m.retro.findingId }],
      flags: [
        { name: "task-id", metavar: "ID", id: "task", help: (m) => m.retro.ruleTask },
        { name: "content", metavar: "TEXT", help: (m) => m.common.readsStdin(m.retro.content) },
      ],
      async run(c) {
        const path = `/api/retrospectives/${seg(c.arg("retro"))}/findings/${seg(c.arg("finding"))}/rule`;
        const body = { task_id: c.str("task-id"), content: await c.text("content") };
        const made = await c.api.post<FindingRule>(path, body);
        c.show(made, () => print(t().retro.ruled(made.finding_id, made.rule.id, made.rule.scope)));
      },
    },
  ],
};
