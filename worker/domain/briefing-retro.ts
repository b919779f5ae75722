// The retrospective a briefing carries once (worker/db/retrospectives.ts takePendingRetrospective): its
// shape, and the next step it asks for. Planners get the team's with its findings, to turn into task
// rules; executors their own, to answer with a `retro` log. Pure.
import type { RetrospectiveBody } from "../../contract/api/retrospective-body";
import type { BriefRetrospective } from "../../contract/api/retrospectives";
import type { RetroPeriodKind, RetroScope, Role } from "../../contract/vocabulary";
import type { BriefingTexts } from "./briefing";
import { cli } from "./cli-command";

/** Characters of the stored text a briefing carries (team texts are up to 8 KB; `retro show` has all). */
export const RETRO_TEXT_MAX = 4_000;
/** Finding ids a planner's step names; the `retrospective.findings` list has them all. */
const FINDINGS_NAMED = 5;

/** What the briefing reads of a retrospective row. */
export interface RetroRowFacts {
  id: string;
  scope: RetroScope;
  periodKey: string;
  periodKind: RetroPeriodKind;
  periodStart: string;
  periodEnd: string;
  text: string;
  body: unknown;
}

/** The briefing's `retrospective`; `clip` cuts the text (and says it cut). Findings go to planners only. */
export function briefRetrospective(
  row: RetroRowFacts,
  role: Role,
  clip: (text: string, max: number) => string,
): BriefRetrospective {
  const body = row.body as Partial<RetrospectiveBody>;
  const brief: BriefRetrospective = {
    id: row.id,
    scope: row.scope,
    period_key: row.periodKey,
    period_kind: row.periodKind,
    from: row.periodStart,
    to: row.periodEnd,
    text: clip(row.text, RETRO_TEXT_MAX),
    counts: body.counts ?? null,
  };
  if (role !== "planner") return brief;
  const patterns = body.patterns ?? [];
  const findings = (body.findings ?? []).flatMap((f) => {
    const p = patterns[f.pattern];
    return p ? [{ id: f.id, kind: f.kind, sample: p.sample, count: p.count, again: p.again, rule_id: f.rule_id }] : [];
  });
  return { ...brief, findings };
}

/** "2026-12-04" or "2026-W49": the period as its key names it, without the kind. */
const periodLabel = (key: string) => key.slice(key.indexOf(":") + 1);

/** The step that goes with the retrospective: a rule from a finding (planner), else a retro log. */
export function retroStep(retro: BriefRetrospective, role: Role, t: BriefingTexts): string {
  const period = periodLabel(retro.period_key);
  if (role === "planner") {
    const open = (retro.findings ?? []).filter((f) => f.rule_id === null);
    const first = open[0];
    if (!first) return t.retroTeam({ period, command: cli(`retro show ${retro.id}`) });
    return t.retroFindings({
      period,
      count: open.length,
      ids: open
        .slice(0, FINDINGS_NAMED)
        .map((f) => f.id)
        .join(", "),
      command: cli(`retro rule ${retro.id} ${first.id}`),
    });
  }
  return t.retroOwn({ period, command: cli(`log create retro "<what you take from it>" --retro ${retro.id}`) });
}
