// The sections of one retrospective, drawn from its language-neutral body in the admin's language:
// repeated problems (each finding with its rule button), rejections, rework, reflections, anomalies,
// score movers and the longest sub-tasks. Quoted texts and names are user data (data-i18n-skip).
import { useStore } from "@nanostores/preact";
import type { ComponentChildren } from "preact";
import { RelTime } from "../../components/rel-time";
import { language } from "../../i18n";
import { actionLabels, anomalyLabels } from "../../i18n/en/enums";
import { retroDetail, retroWords } from "../../i18n/en/retros";
import { Rich } from "../../i18n/rich";
import { formatSigned, labelOf } from "../../lib/format";
import { periodName } from "./retro-parts";
import type { RetroMover, RetrospectiveBody } from "./types";
import { Pill, shortId } from "./ui";

type Name = (agentId: string | null) => string;

function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="section" aria-labelledby={`retro-${id}`} data-section={id}>
      <h2 id={`retro-${id}`}>{title}</h2>
      <div class="card">{children}</div>
    </section>
  );
}

/** 3,600 s → "1 hr" / "1小时": the largest unit that keeps the number readable, in the page's language. */
function duration(seconds: number): string {
  const [unit, size] = seconds >= 86_400 ? ["day", 86_400] : seconds >= 3600 ? ["hour", 3600] : ["minute", 60];
  return new Intl.NumberFormat(language.get(), {
    style: "unit",
    unit,
    unitDisplay: "short",
    maximumFractionDigits: 1,
  }).format(seconds / (size as number));
}

const UserText = ({ children }: { children: ComponentChildren }) => <span data-i18n-skip>{children}</span>;

export function PatternsSection({
  body,
  onRule,
}: {
  body: RetrospectiveBody;
  /** Opens the rule dialog for a finding. */
  onRule: (findingId: string) => void;
}) {
  const t = useStore(retroDetail);
  const w = useStore(retroWords);
  const findingOf = new Map(body.findings.map((f) => [f.pattern, f]));
  return (
    <Section id="patterns" title={t.patterns}>
      {body.patterns.length === 0 ? (
        <p class="muted">{t.noPatterns}</p>
      ) : (
        <ul class="entries" aria-label={t.findingsLabel} data-testid="retro-patterns">
          {body.patterns.map((p, i) => {
            const finding = findingOf.get(i);
            return (
              <li key={p.key} data-pattern={p.kind} data-finding={finding?.id}>
                <div class="entry-head">
                  <span class="badge">{p.kind === "issue" ? t.patternIssue : t.patternType}</span>
                  <strong>
                    <UserText>“{p.sample}”</UserText>
                  </strong>
                  <span>{t.seenCount(p.count)}</span>
                  {p.again ? (
                    <span class="pill pill-warn" title={w.repeatedHint} data-testid="repeated">
                      {w.repeated}
                    </span>
                  ) : null}
                  <span class="spacer" />
                  {finding ? (
                    finding.rule_id ? (
                      <span class="pill pill-good" title={finding.rule_id}>
                        {t.ruleMade}
                      </span>
                    ) : (
                      <button type="button" class="btn" onClick={() => onRule(finding.id)}>
                        {t.makeRule}
                      </button>
                    )
                  ) : null}
                </div>
                <p class="entry-meta">
                  <Rich
                    text={t.mostOn}
                    parts={{ task: <a href={`/tasks/${p.top_task_id}`}>{shortId(p.top_task_id)}</a> }}
                  />
                  {p.previous_periods.length > 0
                    ? ` · ${t.seenBefore({ periods: p.previous_periods.map((k) => periodName(k, w)).join(", ") })}`
                    : null}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}

export function RejectionsSection({ body, name }: { body: RetrospectiveBody; name: Name }) {
  const t = useStore(retroDetail);
  return (
    <Section id="rejections" title={t.rejections}>
      {body.rejections.length === 0 ? (
        <p class="muted">{t.noRejections}</p>
      ) : (
        <ul class="entries">
          {body.rejections.map((r) => (
            <li key={r.review_id}>
              <div class="entry-head">
                <a href={`/sub-tasks/${r.sub_task_id}`} data-i18n-skip>
                  {r.sub_task_name}
                </a>
                {r.score === null ? (
                  <span class="badge">{t.reworkCall}</span>
                ) : (
                  <span>{t.score({ score: r.score })}</span>
                )}
                <span class="spacer" />
                <RelTime value={r.created_at} />
              </div>
              <p class="prose" data-i18n-skip>
                {r.issue}
              </p>
              <p class="entry-meta">
                <Rich text={t.executor} parts={{ name: <UserText>{name(r.executor_agent)}</UserText> }} /> ·{" "}
                <Rich text={t.reviewer} parts={{ name: <UserText>{name(r.reviewer_agent)}</UserText> }} />
              </p>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export function ReworkSection({ body, name }: { body: RetrospectiveBody; name: Name }) {
  const t = useStore(retroDetail);
  if (body.rework.length === 0) return null;
  return (
    <Section id="rework" title={t.rework}>
      <ul class="entries">
        {body.rework.map((r) => (
          <li key={r.agent_id ?? "none"}>
            <Rich
              text={t.reworkLine}
              parts={{
                agent: r.agent_id ? <UserText>{name(r.agent_id)}</UserText> : t.unassigned,
                rejections: r.rejections,
                subTasks: r.sub_tasks,
              }}
            />
          </li>
        ))}
      </ul>
    </Section>
  );
}

export function ReflectionsSection({ body, name }: { body: RetrospectiveBody; name: Name }) {
  const t = useStore(retroDetail);
  const actions = useStore(actionLabels);
  return (
    <Section id="reflections" title={t.reflections}>
      {body.reflections.length === 0 ? (
        <p class="muted">{t.noReflections}</p>
      ) : (
        <ul class="entries">
          {body.reflections.map((r) => (
            <li key={r.log_id}>
              <div class="entry-head">
                <strong data-i18n-skip>{name(r.agent_id)}</strong>
                <span class="badge">{labelOf(actions, r.action)}</span>
                <span class="spacer" />
                <RelTime value={r.created_at} />
              </div>
              <p class="prose" data-i18n-skip>
                {r.summary}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export function AnomaliesSection({ body, name }: { body: RetrospectiveBody; name: Name }) {
  const t = useStore(retroDetail);
  const types = useStore(anomalyLabels);
  return (
    <Section id="anomalies" title={t.anomalies}>
      {body.anomalies.length === 0 ? (
        <p class="muted">{t.noAnomalies}</p>
      ) : (
        <ul class="entries">
          {body.anomalies.map((a) => (
            <li key={`${a.type}-${a.severity}`}>
              <div class="entry-head">
                <Pill value={a.severity} />
                <strong>{labelOf(types, a.type)}</strong>
                <span>{t.anomalyCount(a.count)}</span>
              </div>
              <p class="entry-meta" data-i18n-skip>
                {a.agents.map(name).join(", ")}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export function MoversSection({ body, name }: { body: RetrospectiveBody; name: Name }) {
  const t = useStore(retroDetail);
  const { up, down } = body.score_movers;
  const line = (m: RetroMover) => (
    <li key={m.agent_id}>
      <Rich
        text={t.moverLine}
        parts={{ agent: <UserText>{name(m.agent_id)}</UserText>, net: formatSigned(m.net), entries: m.entries }}
      />
    </li>
  );
  return (
    <Section id="movers" title={t.movers}>
      {up.length + down.length === 0 ? (
        <p class="muted">{t.noMovers}</p>
      ) : (
        <div class="grid grid-2 tight">
          <div>
            <h3>{t.up}</h3>
            <ul class="entries">{up.map(line)}</ul>
          </div>
          <div>
            <h3>{t.down}</h3>
            <ul class="entries">{down.map(line)}</ul>
          </div>
        </div>
      )}
    </Section>
  );
}

export function LongestSection({ body, name }: { body: RetrospectiveBody; name: Name }) {
  const t = useStore(retroDetail);
  return (
    <Section id="longest" title={t.longest}>
      {body.longest.length === 0 ? (
        <p class="muted">{t.noLongest}</p>
      ) : (
        <ul class="entries">
          {body.longest.map((l) => (
            <li key={l.sub_task_id}>
              <div class="entry-head">
                <a href={`/sub-tasks/${l.sub_task_id}`} data-i18n-skip>
                  {l.name}
                </a>
                <span class="spacer" />
                <UserText>{name(l.agent_id)}</UserText>
              </div>
              <p class="entry-meta">
                {t.leadTime({ time: duration(l.lead_seconds) })}
                {l.work_seconds !== null ? ` · ${t.workTime({ time: duration(l.work_seconds) })}` : null}
                {l.rework_count > 0 ? ` · ${t.reworkCount(l.rework_count)}` : null}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
