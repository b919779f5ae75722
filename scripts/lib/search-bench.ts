// The search scenario of `npm run bench`: GET /api/search at 10,000 and 100,000 indexed entries (the
// Workers suite's benchmark stops at 50,000 to keep the suite short). One server is initialized with an
// executor; its state is copied twice and each copy gets the corpus of scripts/lib/search-corpus.ts by
// SQL (entries and their FTS tokens, as the Worker writes them). On each, every query runs REPS times:
// rows read, statements (the x-d1-* headers) and the median client time.
import os from "node:os";
import { Client, type D1Usage } from "./http.ts";
import { machineInfo, median, num, table, wranglerVersion } from "./report.ts";
import { corpusBody, corpusEntry, MAX_CAPPED_GROWTH, SEARCH_QUERIES, type SearchQuery } from "./search-corpus.ts";
import { SeededStates } from "./seeded-state.ts";

export const SEARCH_SIZES = [10_000, 100_000] as const;
const REPS = 5;
/** Rows per INSERT of the seed SQL: D1 refuses a statement over 100 KB. */
const ROWS_PER_INSERT = 100;
/** The corpus's first entry id: above the entries setup wrote (the default global rule is indexed). */
const ID_BASE = 1_000_000;

export const SEARCH_INTRO = `## Team memory search: rows read at 10,000 and 100,000 entries

\`npm run bench -- --scenario search\`: GET /api/search on a local \`wrangler dev\` over 10,000 and
100,000 indexed entries (realistic agent text, a third of it Chinese; scripts/lib/search-corpus.ts).
Rows read and statements are the Worker's x-d1-* headers; time is the client's median of ${REPS}.
Only the newest 500 matches are ranked (docs/search.md), so a common word costs the same at any size.`;

interface Measured {
  query: SearchQuery;
  d1: D1Usage | null;
  ms: number;
  hits: number;
  capped: boolean;
}

export interface SearchCase {
  size: number;
  seedMs: number;
  rows: Measured[];
}

export interface SearchBenchResult {
  startedAt: Date;
  loadBefore: number;
  cases: SearchCase[];
  problems: string[];
}

const sqlText = (s: string | null) => (s === null ? "null" : `'${s.replaceAll("'", "''")}'`);

/** The corpus's entries [from, to) as SQL: search_entry rows with explicit ids, then their tokens. */
function seedSql(from: number, to: number): string {
  const out: string[] = [];
  for (let start = from; start < to; start += ROWS_PER_INSERT) {
    const entries: string[] = [];
    const tokens: string[] = [];
    for (let i = start; i < Math.min(to, start + ROWS_PER_INSERT); i++) {
      const e = corpusEntry(i);
      const id = ID_BASE + i;
      const created = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
      entries.push(
        `(${id}, ${sqlText(e.kind)}, 'bench-${id}', ${sqlText(e.taskId)}, ${sqlText(e.subTaskId)}, ${sqlText(e.agentId)}, null, ${sqlText(e.text)}, '${created}', 1)`,
      );
      tokens.push(`(${id}, ${sqlText(corpusBody(e.text))})`);
    }
    out.push(
      `insert into search_entry (id, kind, source_id, task_id, sub_task_id, agent_id, tag, text, created_at, indexed) values\n${entries.join(",\n")};`,
      `insert into search_fts (rowid, body) values\n${tokens.join(",\n")};`,
    );
  }
  return `${out.join("\n")}\n`;
}

export async function runSearchScenario({
  workDir,
  port,
  log,
}: {
  workDir: string;
  port: number;
  log: (msg: string) => void;
}): Promise<SearchBenchResult> {
  const loadBefore = os.loadavg()[0] ?? 0;
  const startedAt = new Date();
  const states = new SeededStates({ workDir, port });
  const agents = await states.initialize({
    project: "Bench search",
    log: (m) => log(`search: ${m}`),
    agents: [["bench-searcher", "executor"]],
  });
  const key = agents["bench-searcher"]!.api_key;
  const cases: SearchCase[] = [];
  for (const size of SEARCH_SIZES) {
    log(`search: seeding ${num(size)} entries`);
    const seedMs = await states.seedCopy(size, seedSql(0, size));
    const server = states.serverFor(states.statePath(size));
    const rows: Measured[] = [];
    try {
      const api = new Client(await server.start());
      log(`search: measuring ${num(size)} entries at ${api.base}`);
      for (const query of SEARCH_QUERIES) {
        const times: number[] = [];
        let last: Measured | undefined;
        for (let rep = 0; rep < REPS; rep++) {
          const params = new URLSearchParams({ q: query.q, limit: "10" });
          if (query.kinds) params.set("kinds", query.kinds);
          if (query.task_id) params.set("task_id", query.task_id);
          const r = await api.request<{ hits: unknown[]; capped: boolean }>("GET", `/api/search?${params}`, { key });
          times.push(r.ms);
          last = { query, d1: r.d1, ms: 0, hits: r.json.hits.length, capped: r.json.capped };
        }
        rows.push({ ...last!, ms: median(times) });
      }
    } finally {
      await server.stop();
    }
    cases.push({ size, seedMs, rows });
  }
  return { startedAt, loadBefore, cases, problems: verify(cases) };
}

/** A capped query must cost about the same at both sizes; every query must find something. */
function verify(cases: SearchCase[]): string[] {
  const [small, large] = cases as [SearchCase, SearchCase];
  const problems: string[] = [];
  small.rows.forEach((s, i) => {
    const l = large.rows[i]!;
    if (l.hits === 0) problems.push(`${l.query.name}: no hits at ${num(large.size)}`);
    if (s.capped && l.capped && (l.d1?.rowsRead ?? 0) > (s.d1?.rowsRead ?? 0) * MAX_CAPPED_GROWTH)
      problems.push(
        `${l.query.name}: ${l.d1?.rowsRead} rows read at ${num(large.size)}, over ${MAX_CAPPED_GROWTH}× ${s.d1?.rowsRead}`,
      );
  });
  return problems;
}

const label = (q: SearchQuery) =>
  `${q.name} (\`${q.q}\`${q.kinds ? `, kinds=${q.kinds}` : ""}${q.task_id ? ", task_id" : ""})`;

function rowsOf(r: SearchBenchResult): string[][] {
  const [small, large] = r.cases as [SearchCase, SearchCase];
  return small.rows.map((s, i) => {
    const l = large.rows[i]!;
    const pair = (f: (m: Measured) => string) => `${f(s)} / ${f(l)}`;
    return [
      label(s.query),
      pair((m) => num(m.d1?.rowsRead ?? Number.NaN)),
      pair((m) => num(m.d1?.queries ?? Number.NaN)),
      pair((m) => m.ms.toFixed(0)),
      pair((m) => `${m.hits}${m.capped ? " capped" : ""}`),
    ];
  });
}

const HEAD = ["query", "rows read", "statements", "ms", "hits"];

export function searchText(r: SearchBenchResult): string {
  const [small, large] = r.cases as [SearchCase, SearchCase];
  return [
    `Search at ${num(small.size)} / ${num(large.size)} entries (seeding ${num(small.seedMs)} / ${num(large.seedMs)} ms):`,
    ...rowsOf(r).map((row) => row.map((cell, i) => `${HEAD[i]}: ${cell}`).join(" · ")),
    ...r.problems.map((p) => `PROBLEM: ${p}`),
  ].join("\n");
}

export function searchMarkdown(r: SearchBenchResult): string {
  const m = machineInfo(r.loadBefore);
  const [small, large] = r.cases as [SearchCase, SearchCase];
  return `${table(HEAD, ["l", "r", "r", "r", "r"], rowsOf(r))}

Each cell: ${num(small.size)} / ${num(large.size)} entries (seeded by SQL in ${num(small.seedMs)} / ${num(large.seedMs)} ms).
Run ${r.startedAt.toISOString()} on ${m.cpu}, ${m.memory}, ${m.os}, Node ${process.version}, wrangler
${wranglerVersion()}; load average before the run ${m.load}.`;
}
