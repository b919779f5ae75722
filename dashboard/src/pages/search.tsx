// The team memory search (/search?q=&kinds=&task=): the same GET /api/search agents call, for the
// admin. Snippets come from stored agent text: their [ ] marks become <mark> elements by splitting
// the string (never as HTML), so a stored tag shows as the characters it is.
import { useStore } from "@nanostores/preact";
import type { SearchHit, SearchResult } from "../../../contract/api/search";
import { SEARCH_KINDS, type SearchKind } from "../../../contract/vocabulary";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty, ErrorState, Loading } from "../components/states";
import { ruleScopeLabels, searchKindLabels } from "../i18n/en/enums";
import { searchPage } from "../i18n/en/search";
import { withQuery } from "../lib/api";
import { labelOf } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Page } from "../lib/types";
import type { AdminTask } from "./parts/types";
import { Filters, Pill, SearchBox, Select } from "./parts/ui";
import "./parts/search.css";

/** The API's bounds (GET /api/search). */
const MAX_QUERY_CHARS = 200;
const LIMIT = 50;

/** Pieces of a snippet: plain text, and the matched terms the server put between [ and ]. */
export function snippetParts(snippet: string): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = [];
  let rest = snippet;
  while (rest !== "") {
    const open = rest.indexOf("[");
    const close = open < 0 ? -1 : rest.indexOf("]", open + 1);
    if (open < 0 || close < 0) {
      parts.push({ text: rest, match: false });
      break;
    }
    if (open > 0) parts.push({ text: rest.slice(0, open), match: false });
    parts.push({ text: rest.slice(open + 1, close), match: true });
    rest = rest.slice(close + 1);
  }
  return parts;
}

function Snippet({ text }: { text: string }) {
  return (
    <p class="snippet" data-i18n-skip>
      {snippetParts(text).map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : p.text))}
    </p>
  );
}

const kindsOf = (value: string): SearchKind[] => SEARCH_KINDS.filter((k) => value.split(",").includes(k));

function Hit({ hit }: { hit: SearchHit }) {
  const t = useStore(searchPage);
  const kinds = useStore(searchKindLabels);
  const scopes = useStore(ruleScopeLabels);
  return (
    <>
      <div class="entry-head">
        <span class="pill pill-accent">{labelOf(kinds, hit.kind)}</span>
        {hit.tag && hit.kind === "review" ? <Pill value={hit.tag} /> : null}
        {hit.tag && hit.kind === "rule" ? <Pill value="disabled" label={labelOf(scopes, hit.tag)} /> : null}
        {/* A rule has no author; a deleted agent keeps its id. */}
        {hit.agent_id ? (
          <a href={`/agents/${encodeURIComponent(hit.agent_id)}`} data-i18n-skip>
            {hit.agent_name ?? hit.agent_id}
          </a>
        ) : null}
        <span class="spacer" />
        <span class="entry-meta">
          <RelTime value={hit.created_at} />
        </span>
      </div>
      <Snippet text={hit.snippet} />
      {hit.sub_task_id ? (
        <div class="entry-meta">
          <a href={`/sub-tasks/${encodeURIComponent(hit.sub_task_id)}`}>
            {t.openSubTask({ name: hit.sub_task_name ?? hit.sub_task_id.slice(0, 8) })}
          </a>
        </div>
      ) : hit.task_id ? (
        <div class="entry-meta">
          <a href={`/tasks/${encodeURIComponent(hit.task_id)}`}>{t.openTask}</a>
        </div>
      ) : null}
    </>
  );
}

function Results({ q, kinds, task }: { q: string; kinds: SearchKind[]; task: string }) {
  const t = useStore(searchPage);
  const res = useApi<SearchResult>(
    withQuery("/api/search", { q, kinds: kinds.join(","), task_id: task, limit: LIMIT }),
  );
  // A refusal (400: the words, a kind) shows the API's own detail.
  if (res.error && res.data === undefined)
    return <ErrorState title={t.failed} error={res.error} onRetry={res.reload} />;
  if (res.data === undefined) return <Loading label={t.loading} />;
  const { hits, capped } = res.data;
  if (hits.length === 0) return <Empty title={t.noMatch}>{t.noMatchHint}</Empty>;
  return (
    <section class="card" aria-label={t.resultsLabel}>
      <p class="search-count" role="status">
        {t.found(hits.length)}
      </p>
      <ul class="entries" data-testid="search-hits">
        {hits.map((h) => (
          <li key={`${h.kind}:${h.id}`}>
            <Hit hit={h} />
          </li>
        ))}
      </ul>
      {capped ? <p class="muted search-capped">{t.capped}</p> : null}
    </section>
  );
}

export default function SearchPage() {
  const t = useStore(searchPage);
  const kindLabels = useStore(searchKindLabels);
  useTitle(t.title);
  const [query, setQuery] = useQueryState({ q: "", kinds: "", task: "" });
  const q = [...query.q.trim()].slice(0, MAX_QUERY_CHARS).join("");
  const kinds = kindsOf(query.kinds);
  const tasks = useApi<Page<AdminTask>>(withQuery("/api/admin/tasks", { page_size: 100, sort_by: "updated_at" }));
  const toggle = (kind: SearchKind) => {
    const next = kinds.includes(kind) ? kinds.filter((k) => k !== kind) : [...kinds, kind];
    setQuery({ kinds: next.join(",") });
  };

  return (
    <>
      <PageHeader title={t.title}>{t.intro}</PageHeader>
      <Filters
        label={t.filterLabel}
        active={Boolean(query.kinds || query.task)}
        onReset={() => setQuery({ kinds: "", task: "" })}
      >
        <SearchBox
          label={t.query}
          placeholder={t.queryPlaceholder}
          value={query.q}
          onSearch={(text) => setQuery({ q: text })}
        />
        <Select
          label={t.task}
          value={query.task}
          all={t.allTasks}
          options={(tasks.data?.items ?? []).map((task) => ({ value: task.id, label: task.name }))}
          onChange={(v) => setQuery({ task: v })}
        />
      </Filters>
      <ul class="chips search-kinds" aria-label={t.kinds}>
        {SEARCH_KINDS.map((k) => (
          <li key={k}>
            <button type="button" class="chip" aria-pressed={kinds.includes(k)} onClick={() => toggle(k)}>
              {labelOf(kindLabels, k)}
            </button>
          </li>
        ))}
      </ul>
      {q === "" ? <Empty title={t.prompt} /> : <Results q={q} kinds={kinds} task={query.task} />}
    </>
  );
}
