import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { Field } from "../components/field";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty } from "../components/states";
import { retroPeriodKindLabels, retroScopeLabels } from "../i18n/en/enums";
import { retroList, retroWords } from "../i18n/en/retros";
import { Rich } from "../i18n/rich";
import { api, withQuery } from "../lib/api";
import { labelled, labelOf } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Page } from "../lib/types";
import { CountChips, periodName, useAgentNames } from "./parts/retro-parts";
import {
  isOneOf,
  RETRO_PERIOD_KINDS,
  RETRO_SCOPES,
  type Retrospective,
  type RetrospectiveSummary,
} from "./parts/types";
import { Dialog, Filters, FormActions, Pager, Pill, pageOf, Select, Tabs, useAction, View } from "./parts/ui";

export default function RetrospectivesPage() {
  const t = useStore(retroList);
  const w = useStore(retroWords);
  const scopes = useStore(retroScopeLabels);
  const kinds = useStore(retroPeriodKindLabels);
  useTitle(t.title);
  const [q, setQuery] = useQueryState({ scope: "", period_kind: "", page: "1" });
  const scope = isOneOf(RETRO_SCOPES, q.scope) ? q.scope : "";
  const kind = isOneOf(RETRO_PERIOD_KINDS, q.period_kind) ? q.period_kind : "";
  const list = useApi<Page<RetrospectiveSummary>>(
    withQuery("/api/retrospectives", { scope, period_kind: kind, page: pageOf(q.page), page_size: 20 }),
  );
  const agentName = useAgentNames();
  const [running, setRunning] = useState(false);

  return (
    <>
      <PageHeader
        title={t.title}
        actions={
          <button type="button" class="btn btn-primary" onClick={() => setRunning(true)}>
            {t.run}
          </button>
        }
      >
        {t.intro}
      </PageHeader>
      <Tabs
        label={t.scope}
        tabs={[{ id: "", label: t.all }, ...RETRO_SCOPES.map((id) => ({ id, label: labelOf(scopes, id) }))]}
        current={scope}
        onSelect={(id) => setQuery({ scope: id, page: "1" })}
      />
      <Filters label={t.period}>
        <Select
          label={t.period}
          value={kind}
          options={labelled(RETRO_PERIOD_KINDS, kinds)}
          onChange={(v) => setQuery({ period_kind: v, page: "1" })}
        />
      </Filters>
      <View res={list} loading={t.loading} isEmpty={(d) => d.total === 0} empty={<Empty title={t.none} />}>
        {(d) => (
          <>
            <section class="card" aria-label={t.list}>
              <ul class="entries" data-testid="retrospectives">
                {d.items.map((r) => (
                  <li key={r.id} data-retro-id={r.id} data-scope={r.scope}>
                    <div class="entry-head">
                      <a href={`/retrospectives/${r.id}`}>
                        <strong>{periodName(r.period_key, w)}</strong>
                      </a>
                      <span class="badge">{labelOf(kinds, r.period_kind)}</span>
                      {r.scope === "team" ? (
                        <span class="badge">{w.team}</span>
                      ) : (
                        <a href={`/agents/${r.agent_id}`} data-i18n-skip>
                          {agentName(r.agent_id)}
                        </a>
                      )}
                      {r.partial ? <Pill value="partial" label={w.partial} /> : null}
                      {r.repeated > 0 ? (
                        <span class="pill pill-warn" title={w.repeatedHint} data-testid="repeated">
                          {w.repeated}
                        </span>
                      ) : null}
                    </div>
                    {r.counts ? <CountChips counts={r.counts} /> : null}
                    <p class="entry-meta">
                      <Rich text={t.generated} parts={{ when: <RelTime value={r.generated_at} /> }} /> ·{" "}
                      {r.trigger === "cron" ? t.byCron : t.byHand} · <code class="mono">{r.time_zone}</code>
                    </p>
                  </li>
                ))}
              </ul>
            </section>
            <Pager
              page={d.page}
              totalPages={d.total_pages}
              total={d.total}
              count={t.total}
              noun={t.pagerNoun}
              onPage={(p) => setQuery({ page: String(p) })}
            />
          </>
        )}
      </View>
      {running ? <RunDialog onClose={() => setRunning(false)} onDone={list.reload} /> : null}
    </>
  );
}

/** POST /api/retrospectives: a period now (201) or the one already made (200); then opens it. */
function RunDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const t = useStore(retroList);
  const kinds = useStore(retroPeriodKindLabels);
  const [period, setPeriod] = useState<"daily" | "weekly">("daily");
  const [date, setDate] = useState("");
  const { busy, error, run } = useAction();
  const { route } = useLocation();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const made = await api<Partial<Retrospective>>("/api/retrospectives", {
        method: "POST",
        body: { period, ...(date ? { date } : {}) },
      });
      onDone();
      onClose();
      if (typeof made.id === "string") route(`/retrospectives/${made.id}`);
    });
  };
  return (
    <Dialog title={t.runTitle} onClose={onClose}>
      <form onSubmit={submit} noValidate data-testid="retro-run">
        <p class="muted">{t.runIntro}</p>
        <Select
          label={t.period}
          value={period}
          all={null}
          options={labelled(RETRO_PERIOD_KINDS, kinds)}
          onChange={setPeriod}
          name="period"
        />
        <Field label={t.runDate} hint={t.runDateHint}>
          {(id, d) => (
            <input
              id={id}
              name="date"
              aria-describedby={d}
              type="date"
              value={date}
              onInput={(e) => setDate(e.currentTarget.value)}
            />
          )}
        </Field>
        <FormActions busy={busy} error={error} submit={t.runSubmit} busyLabel={t.running} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
