import { useStore } from "@nanostores/preact";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty } from "../components/states";
import { stateLabels } from "../i18n/en/enums";
import { reviewDetail, reviewsPage } from "../i18n/en/reviews";
import { Rich } from "../i18n/rich";
import { withQuery } from "../lib/api";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Page } from "../lib/types";
import { type AdminReview, type AdminReviewDetail, isOneOf, REVIEW_RESULTS } from "./parts/types";
import {
  Facts,
  Filters,
  Pager,
  Pill,
  Prose,
  pageOf,
  ScoreStars,
  SearchBox,
  Select,
  useAgentOptions,
  View,
} from "./parts/ui";

const DAYS = ["1", "7", "30"] as const;

export default function ReviewsPage() {
  const t = useStore(reviewsPage);
  const states = useStore(stateLabels);
  useTitle(t.title);
  const [q, setQuery] = useQueryState({ result: "", q: "", days: "", reviewer: "", id: "", page: "1" });
  const result = isOneOf(REVIEW_RESULTS, q.result) ? q.result : "";
  const days = isOneOf(DAYS, q.days) ? q.days : "";
  const reviewers = useAgentOptions("reviewer", undefined);
  const list = useApi<Page<AdminReview>>(
    withQuery("/api/admin/review-records", {
      result,
      keyword: q.q,
      days,
      reviewer_agent: q.reviewer,
      page: pageOf(q.page),
      page_size: 20,
    }),
  );
  const filtered = Boolean(result || q.q || days || q.reviewer);

  return (
    <>
      <PageHeader
        title={t.title}
        actions={
          <button type="button" class="btn" onClick={list.reload}>
            {t.refresh}
          </button>
        }
      >
        {t.intro}
      </PageHeader>
      <Filters
        label={t.filterLabel}
        active={filtered}
        onReset={() => setQuery({ result: "", q: "", days: "", reviewer: "", page: "1" })}
      >
        <SearchBox
          label={t.search}
          placeholder={t.searchPlaceholder}
          value={q.q}
          onSearch={(text) => setQuery({ q: text, page: "1" })}
        />
        <Select
          label={t.result}
          value={result}
          options={REVIEW_RESULTS}
          labels={states}
          onChange={(v) => setQuery({ result: v, page: "1" })}
        />
        <Select
          label={t.reviewer}
          value={q.reviewer}
          options={(reviewers.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))}
          onChange={(v) => setQuery({ reviewer: v, page: "1" })}
        />
        <Select
          label={t.time}
          value={days}
          options={DAYS.map((d) => ({ value: d, label: d === "1" ? t.last24Hours : t.lastDays({ n: d }) }))}
          all={t.anyTime}
          onChange={(v) => setQuery({ days: v, page: "1" })}
        />
      </Filters>
      <div class="split">
        <View
          res={list}
          loading={t.loading}
          isEmpty={(d) => d.items.length === 0}
          empty={filtered ? <Empty title={t.noMatch} /> : <Empty title={t.noneYet} />}
        >
          {(d) => (
            <div>
              <div class="card table-card">
                <table class="table">
                  <thead>
                    <tr>
                      <th scope="col">{t.colSubTask}</th>
                      <th scope="col">{t.colResult}</th>
                      <th scope="col">{t.colScore}</th>
                      <th scope="col">{t.colReviewer}</th>
                      <th scope="col">{t.colWhen}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.items.map((r) => (
                      <tr key={r.id} class={q.id === r.id ? "selected" : undefined}>
                        <td class="name-cell">
                          <a
                            href={withQuery("/reviews", { ...q, page: q.page === "1" ? "" : q.page, id: r.id })}
                            aria-current={q.id === r.id ? "true" : undefined}
                            data-i18n-skip
                          >
                            {r.sub_task_name ?? r.sub_task_id}
                          </a>
                          <span class="cell-sub">
                            <Rich
                              text={t.taskRound}
                              parts={{ task: <span data-i18n-skip>{r.task_name ?? "—"}</span>, round: r.round }}
                            />
                          </span>
                        </td>
                        <td data-label={t.colResult}>
                          <Pill value={r.result} />
                        </td>
                        <td data-label={t.colScore}>
                          <ScoreStars score={r.score} />
                        </td>
                        <td data-label={t.colReviewer} data-i18n-skip>
                          {r.reviewer_agent_name ?? r.reviewer_agent}
                        </td>
                        <td data-label={t.colWhen}>
                          <RelTime value={r.created_at} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager
                page={d.page}
                totalPages={d.total_pages}
                total={d.total}
                count={t.total}
                noun={t.pagerNoun}
                onPage={(p) => setQuery({ page: String(p) })}
              />
            </div>
          )}
        </View>
        {q.id ? (
          <ReviewDetail id={q.id} onClose={() => setQuery({ id: "" })} />
        ) : (
          <div class="state state-empty">
            <p class="state-body">{t.pickOne}</p>
          </div>
        )}
      </div>
    </>
  );
}

function ReviewDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const res = useApi<AdminReviewDetail>(`/api/admin/review-records/${encodeURIComponent(id)}`);
  const t = useStore(reviewDetail);
  return (
    <section class="card" aria-labelledby="review-title">
      <View res={res} loading={t.loading}>
        {(r) => (
          <>
            <div class="card-head">
              <h2 id="review-title">
                {r.sub_task_name ? <span data-i18n-skip>{r.sub_task_name}</span> : t.titleFallback}{" "}
                <span class="muted">{t.round({ round: r.round })}</span>
              </h2>
              <button type="button" class="btn btn-ghost" onClick={onClose}>
                {t.close}
              </button>
            </div>
            <p>
              <Pill value={r.result} /> <ScoreStars score={r.score} />{" "}
              {r.score !== null ? <span class="muted">{r.score}/5</span> : null}
            </p>
            <Facts
              items={[
                [
                  t.subTask,
                  <a href={`/sub-tasks/${r.sub_task_id}`} data-i18n-skip>
                    {r.sub_task_name ?? r.sub_task_id}
                  </a>,
                ],
                [
                  t.task,
                  r.task_id ? (
                    <a href={`/tasks/${r.task_id}`} data-i18n-skip>
                      {r.task_name ?? r.task_id}
                    </a>
                  ) : (
                    "—"
                  ),
                ],
                [
                  t.reviewer,
                  <a href={`/agents/${r.reviewer_agent}`} data-i18n-skip>
                    {r.reviewer_agent_name ?? r.reviewer_agent}
                  </a>,
                ],
                [
                  t.reworkBy,
                  r.rework_agent ? (
                    <a href={`/agents/${r.rework_agent}`} data-i18n-skip>
                      {r.rework_agent_name ?? r.rework_agent}
                    </a>
                  ) : (
                    "—"
                  ),
                ],
                [t.when, <RelTime value={r.created_at} />],
              ]}
            />
            <h3 class="section-gap-top">{t.comment}</h3>
            <Prose text={r.comment} empty={t.noComment} />
            <h3 class="section-gap-top">{t.issues}</h3>
            <Prose text={r.issues} empty={t.noIssues} />
            <details class="section-gap-top">
              <summary>{t.brief}</summary>
              <h4>{t.description}</h4>
              <Prose text={r.sub_task_description} />
              <h4>{t.deliverable}</h4>
              <Prose text={r.sub_task_deliverable} />
              <h4>{t.acceptance}</h4>
              <Prose text={r.sub_task_acceptance} />
            </details>
          </>
        )}
      </View>
    </section>
  );
}
