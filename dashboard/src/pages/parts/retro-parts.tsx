// What the retrospective list and detail share: a period's name, the totals as chips, agent names.
import { useStore } from "@nanostores/preact";
import type { RetroCounts } from "../../../../contract/api/retrospective-body";
import { language } from "../../i18n";
import { retroWords } from "../../i18n/en/retros";
import { formatSigned } from "../../lib/format";
import { shortId, useAgentOptions } from "./ui";

type Words = ReturnType<typeof retroWords.get>;

/** "Dec 4, 2026" for `day:2026-12-04`, "Week 49, 2026" for `week:2026-W49`; other keys as written. */
export function periodName(key: string, w: Words): string {
  const day = /^day:(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (day) {
    // The key is already the local day of the retrospective's zone: format it as a plain date.
    const date = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    return new Intl.DateTimeFormat(language.get(), { dateStyle: "medium", timeZone: "UTC" }).format(date);
  }
  const week = /^week:(\d{4})-W(\d{2})$/.exec(key);
  if (week) return w.week({ year: week[1]!, week: String(Number(week[2])) });
  return key;
}

/** The period's totals as chips; zero counts are left out so the row reads as what happened. */
export function CountChips({ counts }: { counts: RetroCounts }) {
  const w = useStore(retroWords);
  const chips: [string, number, string][] = [
    ["sub_tasks_done", counts.sub_tasks_done, w.subTasksDone(counts.sub_tasks_done)],
    ["reviews", counts.reviews, w.reviews(counts.reviews)],
    ["rejections", counts.rejections, w.rejections(counts.rejections)],
    ["reworked_sub_tasks", counts.reworked_sub_tasks, w.reworked(counts.reworked_sub_tasks)],
    ["reflections", counts.reflections, w.reflections(counts.reflections)],
    ["retro_logs", counts.retro_logs, w.retroLogs(counts.retro_logs)],
    ["anomalies", counts.anomalies, w.anomalies(counts.anomalies)],
    ["score_net", counts.score_net, w.scoreNet({ net: formatSigned(counts.score_net) })],
  ];
  return (
    <ul class="chips retro-counts">
      {chips
        .filter(([, n]) => n !== 0)
        .map(([key, , text]) => (
          <li key={key} class="chip" data-count={key}>
            {text}
          </li>
        ))}
    </ul>
  );
}

/** Agent id → name, from the admin's agent list (every status: a retrospective outlives an agent's shift). */
export function useAgentNames(): (id: string | null) => string {
  const agents = useAgentOptions(undefined, undefined);
  const w = useStore(retroWords);
  const names = new Map((agents.data?.items ?? []).map((a) => [a.id, a.name]));
  return (id) => (id === null ? "—" : (names.get(id) ?? w.agentFallback({ id: shortId(id) })));
}
