// Benchmark (issue 19 acceptance): GET /api/search's cost at SMALL and LARGE indexed entries, in D1 rows
// read (the Worker's x-d1-rows-read header: what Cloudflare bills and limits), statements and time, for
// a common word, a rare one, Chinese, with and without filters. The corpus is realistic agent text
// (English and Chinese, a few common words and a long tail), bulk-seeded (test/search-seed.ts). The
// figures are printed as a Markdown table for docs/benchmarks.md; the test fails when rows read grow
// with the index beyond what the matches themselves explain (see MAX_GROWTH).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RANKED_MATCHES } from "../worker/db/search-queries";
import { type CallResult, call, env, initialize, register, type TestAgent } from "./helpers";
import { bulkSeed, type SeedEntry } from "./search-seed";
import { appTables } from "./tables";

const SMALL = 10_000;
const LARGE = 50_000;
/** Tasks the entries belong to: a task then holds SIZE / TASKS entries. */
const TASKS = 500;

/** A deterministic pseudo-random generator (mulberry32), so every run seeds the same corpus. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EN_COMMON = ["the", "test", "fix", "build", "error", "deploy", "review", "api", "timeout", "login", "cache"];
const EN_TAIL = Array.from({ length: 5_000 }, (_, i) => `w${i.toString(36)}x`);
const ZH_COMMON = ["登录", "超时", "接口", "修复", "测试", "部署", "问题", "重试", "缓存", "审查"];
const ZH_TAIL = Array.from({ length: 2_000 }, (_, i) => `${String.fromCodePoint(0x4e00 + ((i * 37) % 20_000))}词`);
const KINDS = ["reflection", "delivery", "blocked", "plan", "review", "review", "sub_task", "reflection"] as const;
/** A word in about one entry in 1,000: the rare query. */
const RARE = "flakyredis";

/** Entry i: 12–40 words, a third of them Chinese, common words often, the tail Zipf-like; RARE in 0.1%. */
function entry(i: number): SeedEntry {
  const next = random(i + 1);
  const chinese = next() < 0.35;
  const words: string[] = [];
  const length = 12 + Math.floor(next() * 28);
  for (let w = 0; w < length; w++) {
    const common = next() < 0.3;
    const tail = chinese ? ZH_TAIL : EN_TAIL;
    const pick = chinese
      ? common
        ? ZH_COMMON[Math.floor(next() * ZH_COMMON.length)]!
        : tail[Math.floor(next() ** 3 * tail.length)]!
      : common
        ? EN_COMMON[Math.floor(next() * EN_COMMON.length)]!
        : tail[Math.floor(next() ** 3 * tail.length)]!;
    words.push(pick);
  }
  if (i % 1_000 === 7) words.splice(3, 0, RARE);
  return {
    kind: KINDS[i % KINDS.length]!,
    text: words.join(chinese ? "" : " "),
    taskId: `task-${i % TASKS}`,
    subTaskId: `st-${i % (TASKS * 4)}`,
    agentId: `agent-${i % 20}`,
  };
}

interface Query {
  name: string;
  q: string;
  kinds?: string;
  task_id?: string;
}

const QUERIES: Query[] = [
  { name: "common word", q: "test" },
  { name: "two common words", q: "deploy timeout" },
  { name: "rare word", q: RARE },
  { name: "Chinese word", q: "超时" },
  { name: "Chinese words", q: "登录超时" },
  { name: "common, kinds=review", q: "test", kinds: "review" },
  { name: "common, task_id", q: "test", task_id: "task-7" },
  { name: "Chinese, task_id", q: "超时", task_id: "task-7" },
];

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
  await env.DB.batch((await appTables()).map((name) => env.DB.prepare(`delete from "${name}"`)));
  await env.DB.prepare("delete from search_fts").run();
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
    await bulkSeed(size - seeded, (i) => entry(seeded + i));
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

/**
 * How much rows read may grow from SMALL to LARGE entries (5× more). A common word matches thousands of
 * entries at either size, but only the newest RANKED_MATCHES are ranked and joined, so its cost must stay
 * about flat; what remains is FTS5's own doclist pages, which grow with the matches. 2× leaves room for
 * those pages and fails if the cap stops working (rows read would then grow about 5×).
 */
const MAX_GROWTH = 2;

describe(`search cost at ${SMALL} vs ${LARGE} entries`, () => {
  for (const query of QUERIES) {
    it(`${query.name}: rows read stay bounded`, () => {
      const [small, large] = [SMALL, LARGE].map((size) => figures.find((f) => f.size === size && f.query === query)!);
      expect(large!.statements).toBe(small!.statements);
      // Only where the cap bounds the work: a rare word or a task's entries grow with the index by design.
      if (large!.capped && small!.capped) expect(large!.rowsRead).toBeLessThanOrEqual(small!.rowsRead * MAX_GROWTH);
      expect(large!.rowsRead).toBeLessThanOrEqual(RANKED_MATCHES * 8);
    });
  }
});
