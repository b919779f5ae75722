import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { useRoute } from "preact-iso";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { ErrorState, Loading } from "../components/states";
import { retroPeriodKindLabels } from "../i18n/en/enums";
import { retroDetail, retroList, retroWords } from "../i18n/en/retros";
import { Rich } from "../i18n/rich";
import { labelOf } from "../lib/format";
import { useApi, useTitle } from "../lib/hooks";
import { CountChips, periodName, useAgentNames } from "./parts/retro-parts";
import { RuleDialog } from "./parts/retro-rule";
import {
  AnomaliesSection,
  LongestSection,
  MoversSection,
  PatternsSection,
  ReflectionsSection,
  RejectionsSection,
  ReworkSection,
} from "./parts/retro-sections";
import type { Retrospective, RetrospectiveBody } from "./parts/types";
import { Pill } from "./parts/ui";

/** The body when it is one this dashboard knows how to draw (version 1); else only the stored text shows. */
const bodyOf = (r: Retrospective): RetrospectiveBody | null =>
  r.body.version === 1 ? (r.body as unknown as RetrospectiveBody) : null;

export default function RetrospectiveDetailPage() {
  const { params } = useRoute();
  const id = params.id ?? "";
  const t = useStore(retroDetail);
  const list = useStore(retroList);
  const w = useStore(retroWords);
  const kinds = useStore(retroPeriodKindLabels);
  const res = useApi<Retrospective>(`/api/retrospectives/${encodeURIComponent(id)}`);
  const name = useAgentNames();
  const [ruling, setRuling] = useState<string | null>(null);
  const r = res.data;
  const period = r ? periodName(r.period_key, w) : "";
  const title = !r
    ? t.fallbackTitle
    : r.scope === "team"
      ? t.teamTitle({ period })
      : t.agentTitle({ agent: name(r.agent_id), period });
  useTitle(title);

  const crumbs = (
    <p class="crumbs">
      <a href="/retrospectives">← {t.back}</a>
    </p>
  );
  if (res.error && !r) {
    return (
      <>
        {crumbs}
        <ErrorState title={t.loadFailed} error={res.error} onRetry={res.reload} />
      </>
    );
  }
  if (!r) return <Loading label={t.loading} />;
  const body = bodyOf(r);
  const finding = ruling && body ? body.findings.find((f) => f.id === ruling) : undefined;
  const pattern = finding && body ? body.patterns[finding.pattern] : undefined;

  return (
    <>
      {crumbs}
      <PageHeader title={title}>
        <Rich
          text={t.summary}
          parts={{
            kind: labelOf(kinds, r.period_kind),
            zone: <code class="mono">{r.time_zone}</code>,
            trigger: r.trigger === "cron" ? list.byCron : list.byHand,
            when: <RelTime value={r.generated_at} />,
          }}
        />{" "}
        {r.partial ? <Pill value="partial" label={w.partial} /> : null}
      </PageHeader>
      {r.partial ? <p class="banner">{w.partialHint}</p> : null}
      {body ? (
        <>
          <section class="section" aria-label={t.countsLabel}>
            <h2>{t.counts}</h2>
            <CountChips counts={body.counts} />
          </section>
          <PatternsSection body={body} onRule={setRuling} />
          <RejectionsSection body={body} name={name} />
          <ReworkSection body={body} name={name} />
          <ReflectionsSection body={body} name={name} />
          <AnomaliesSection body={body} name={name} />
          <MoversSection body={body} name={name} />
          <LongestSection body={body} name={name} />
          {body.truncated ? <p class="banner">{t.truncated}</p> : null}
        </>
      ) : null}
      <details class="section hint-box" open={!body}>
        <summary>{t.storedText}</summary>
        <p class="hint">{t.storedTextHint}</p>
        <pre class="prose" lang={r.language} data-i18n-skip>
          {r.text}
        </pre>
      </details>
      {finding && pattern ? (
        <RuleDialog
          retroId={r.id}
          findingId={finding.id}
          pattern={pattern}
          periodKey={r.period_key}
          onClose={() => setRuling(null)}
          onSaved={res.reload}
        />
      ) : null}
    </>
  );
}
