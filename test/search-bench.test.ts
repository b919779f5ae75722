// Benchmark (issue 19 acceptance): GET /api/search's cost at SMALL and LARGE indexed entries, in D1 rows
// read (the Worker's x-d1-rows-read header: what Cloudflare bills and limits), statements and time, for
// a common word, a rare one, Chinese, with and without filters. The corpus is realistic agent text
// (English and Chinese, a few common words and a long tail), bulk-seeded (test/search-seed.ts). The
// figures are printed as a Markdown table for docs/benchmarks.md; the test fails when rows read grow
// with the index beyond what the matches themselves explain (MAX_CAPPED_GROWTH). The corpus and the
// queries are shared with `npm run bench -- --scenario search` (scripts/lib/search-corpus.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  corpusBody,
  corpusEntry,
  MAX_CAPPED_GROWTH,
  SEARCH_QUERIES,
  type SearchQuery,
} from "../scripts/lib/search-corpus";
import { RANKED_MATCHES } from "../worker/db/search-queries";
import { indexText } from "../worker/domain/search-text";
import { type CallResult, call, env, initialize, register, type TestAgent } from "./helpers";
import { bulkSeed } from "./search-seed";
import { emptyDatabase } from "./tables";

const SMALL = 10_000;
const LARGE = 50_000;
const QUERIES = SEARCH_QUERIES;
type Query = SearchQuery;

interface Figure {
  size: number;
  query: Query;
  rowsRead: number;
  statements: number;
  ms: number;
  hits: number;
  capped: boolean;
}

const figures: Figure[] = [];
const seedMs: Record<number, number> = {};
let reader: TestAgent;

/** Median of five calls' time; rows read and statements are the same every call. */
async function measure(size: number, query: Query): Promise<Figure> {
  const times: number[] = [];
  let last: CallResult<{ hits: unknown[]; capped: boolean }> | undefined;
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    last = await call<{ hits: unknown[]; capped: boolean }>("GET", "/api/search", {
      key: reader.key,
      query: { ...query, limit: 10 },
    });
    times.push(performance.now() - started);
    expect(last.status, JSON.stringify(last.body)).toBe(200);
  }
  times.sort((a, b) => a - b);
  return {
    size,
    query,
    rowsRead: Number(last!.headers.get("x-d1-rows-read")),
    statements: Number(last!.headers.get("x-d1-queries")),
    ms: Math.round(times[2]!),
    hits: last!.body.hits.length,
    capped: last!.body.capped,
  };
}

beforeAll(async () => {
  // The per-test wipe runs before each test, not before this hook: start from a fresh database here.
  await emptyDatabase();
  await initialize();
  reader = await register("executor");
  // The agent's rate limit is not what is measured here.
  const now = new Date().toISOString();
  await env.DB.prepare(
    "insert or replace into setting (key, value, updated_at) values ('agent.rate_limit_burst', '100000', ?), ('agent.rate_limit_per_minute', '100000', ?)",
  )
    .bind(now, now)
    .run();
  let seeded = 0;
  for (const size of [SMALL, LARGE]) {
    const started = performance.now();
    await bulkSeed(size - seeded, (i) => corpusEntry(seeded + i));
    seedMs[size] = Math.round(performance.now() - started);
    seeded = size;
    for (const query of QUERIES) figures.push(await measure(size, query));
  }
}, 600_000);

afterAll(() => {
  const rows = QUERIES.map((query) => {
    const [small, large] = [SMALL, LARGE].map((size) => figures.find((f) => f.size === size && f.query === query)!);
    return `| ${query.name} (\`${query.q}\`${query.kinds ? `, kinds=${query.kinds}` : ""}${query.task_id ? ", task_id" : ""}) | ${small!.rowsRead} / ${large!.rowsRead} | ${small!.statements} / ${large!.statements} | ${small!.ms} / ${large!.ms} | ${small!.hits}${small!.capped ? " capped" : ""} / ${large!.hits}${large!.capped ? " capped" : ""} |`;
  });
  console.log(
    [
      `Search at ${SMALL.toLocaleString("en")} / ${LARGE.toLocaleString("en")} indexed entries (seeding ${seedMs[SMALL]} ms / +${seedMs[LARGE]} ms):`,
      "",
      "| query | rows read | statements | ms (median of 5) | hits |",
      "| --- | --- | --- | --- | --- |",
      ...rows,
    ].join("\n"),
  );
});

describe(`search cost at ${SMALL} vs ${LARGE} entries`, () => {
  it("the corpus's FTS bodies are what the Worker's indexText makes (npm run bench seeds them by SQL)", () => {
    for (let i = 0; i < 500; i++) expect(corpusBody(corpusEntry(i).text)).toBe(indexText(corpusEntry(i).text));
  });

  for (const query of QUERIES) {
    it(`${query.name}: rows read stay bounded`, () => {
      const [small, large] = [SMALL, LARGE].map((size) => figures.find((f) => f.size === size && f.query === query)!);
      expect(large!.statements).toBe(small!.statements);
      // Only where the cap bounds the work: a rare word or a task's entries grow with the index by design.
      if (large!.capped && small!.capped)
        expect(large!.rowsRead).toBeLessThanOrEqual(small!.rowsRead * MAX_CAPPED_GROWTH);
      expect(large!.rowsRead).toBeLessThanOrEqual(RANKED_MATCHES * 8);
    });
  }
});
