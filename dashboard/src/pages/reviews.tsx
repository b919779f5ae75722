import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty } from "../components/states";
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

const DAYS = [
  { value: "1", label: "Last 24 hours" },
  { value: "7", label: "Last 7 days" },
  { value: "30", label: "Last 30 days" },
];

export default function ReviewsPage() {
  useTitle("Reviews");
  const [q, setQuery] = useQueryState({ result: "", q: "", days: "", reviewer: "", id: "", page: "1" });
  const result = isOneOf(REVIEW_RESULTS, q.result) ? q.result : "";
  const days = DAYS.some((d) => d.value === q.days) ? q.days : "";
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
        title="Reviews"
        actions={
          <button type="button" class="btn" onClick={list.reload}>
            Refresh
          </button>
        }
      >
        Every review round: result, score, comment and issues.
      </PageHeader>
      <Filters
        label="Filter reviews"
        active={filtered}
        onReset={() => setQuery({ result: "", q: "", days: "", reviewer: "", page: "1" })}
      >
        <SearchBox
          label="Search"
          placeholder="Task, sub-task, comment, agent"
          value={q.q}
          onSearch={(text) => setQuery({ q: text, page: "1" })}
        />
        <Select
          label="Result"
          value={result}
          options={REVIEW_RESULTS}
          onChange={(v) => setQuery({ result: v, page: "1" })}
        />
        <Select
          label="Reviewer"
          value={q.reviewer}
          options={(reviewers.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))}
          onChange={(v) => setQuery({ reviewer: v, page: "1" })}
        />
        <Select
          label="Time"
          value={days}
          options={DAYS}
          all="Any time"
          onChange={(v) => setQuery({ days: v, page: "1" })}
        />
      </Filters>
      <div class="split">
        <View
          res={list}
          label="reviews"
          isEmpty={(d) => d.items.length === 0}
          empty={filtered ? <Empty title="No review matches these filters." /> : <Empty title="No reviews yet." />}
        >
          {(d) => (
            <div>
              <div class="card table-card">
                <table class="table">
                  <thead>
                    <tr>
                      <th scope="col">Sub-task</th>
                      <th scope="col">Result</th>
                      <th scope="col">Score</th>
                      <th scope="col">Reviewer</th>
                      <th scope="col">When</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.items.map((r) => (
                      <tr key={r.id} class={q.id === r.id ? "selected" : undefined}>
                        <td class="name-cell">
                          <a
                            href={withQuery("/reviews", { ...q, page: q.page === "1" ? "" : q.page, id: r.id })}
                            aria-current={q.id === r.id ? "true" : undefined}
                          >
                            {r.sub_task_name ?? r.sub_task_id}
                          </a>
                          <span class="cell-sub">
                            {r.task_name ?? "—"} · round {r.round}
                          </span>
                        </td>
                        <td data-label="Result">
                          <Pill value={r.result} />
                        </td>
                        <td data-label="Score">
                          <ScoreStars score={r.score} />
                        </td>
                        <td data-label="Reviewer">{r.reviewer_agent_name ?? r.reviewer_agent}</td>
                        <td data-label="When">
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
                noun="reviews"
                onPage={(p) => setQuery({ page: String(p) })}
              />
            </div>
          )}
        </View>
        {q.id ? (
          <ReviewDetail id={q.id} onClose={() => setQuery({ id: "" })} />
        ) : (
          <div class="state state-empty">
            <p class="state-body">Pick a review to read it in full.</p>
          </div>
        )}
      </div>
    </>
  );
}

function ReviewDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const res = useApi<AdminReviewDetail>(`/api/admin/review-records/${encodeURIComponent(id)}`);
  return (
    <section class="card" aria-labelledby="review-title">
      <View res={res} label="the review">
        {(r) => (
          <>
            <div class="card-head">
              <h2 id="review-title">
                {r.sub_task_name ?? "Review"} <span class="muted">· round {r.round}</span>
              </h2>
              <button type="button" class="btn btn-ghost" onClick={onClose}>
                Close
              </button>
            </div>
            <p>
              <Pill value={r.result} /> <ScoreStars score={r.score} />{" "}
              {r.score !== null ? <span class="muted">{r.score}/5</span> : null}
            </p>
            <Facts
              items={[
                ["Sub-task", <a href={`/sub-tasks/${r.sub_task_id}`}>{r.sub_task_name ?? r.sub_task_id}</a>],
                ["Task", r.task_id ? <a href={`/tasks/${r.task_id}`}>{r.task_name ?? r.task_id}</a> : "—"],
                ["Reviewer", <a href={`/agents/${r.reviewer_agent}`}>{r.reviewer_agent_name ?? r.reviewer_agent}</a>],
                [
                  "Rework by",
                  r.rework_agent ? (
                    <a href={`/agents/${r.rework_agent}`}>{r.rework_agent_name ?? r.rework_agent}</a>
                  ) : (
                    "—"
                  ),
                ],
                ["When", <RelTime value={r.created_at} />],
              ]}
            />
            <h3 class="section-gap-top">Comment</h3>
            <Prose text={r.comment} empty="No comment." />
            <h3 class="section-gap-top">Issues</h3>
            <Prose text={r.issues} empty="None listed." />
            <details class="section-gap-top">
              <summary>The sub-task's brief</summary>
              <h4>Description</h4>
              <Prose text={r.sub_task_description} />
              <h4>Deliverable</h4>
              <Prose text={r.sub_task_deliverable} />
              <h4>Acceptance criteria</h4>
              <Prose text={r.sub_task_acceptance} />
            </details>
          </>
        )}
      </View>
    </section>
  );
}
