// The team memory search benchmark's corpus and queries, shared by the Workers suite's benchmark
// (test/search-bench.test.ts, 10,000 vs 50,000 entries) and `npm run bench -- --scenario search`
// (scripts/lib/search-bench.ts, 10,000 vs 100,000). Deterministic: entry i is always the same text.
// Realistic agent text: a third Chinese, a few common words in most entries and a long Zipf-like tail.

/** Tasks the entries belong to: a task holds size / TASKS entries. */
export const TASKS = 500;
/** A word in one entry in 1,000: the rare query. */
export const RARE = "flakyredis";

/** A deterministic pseudo-random generator (mulberry32). */
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

export interface CorpusEntry {
  kind: (typeof KINDS)[number];
  text: string;
  taskId: string;
  subTaskId: string;
  agentId: string;
}

/** Entry i: 12–40 words, a third of the entries Chinese, common words 30 % of the time; RARE in 0.1 %. */
export function corpusEntry(i: number): CorpusEntry {
  const next = random(i + 1);
  const chinese = next() < 0.35;
  const [common, tail] = chinese ? [ZH_COMMON, ZH_TAIL] : [EN_COMMON, EN_TAIL];
  const words: string[] = [];
  const length = 12 + Math.floor(next() * 28);
  for (let w = 0; w < length; w++) {
    words.push(
      next() < 0.3 ? common[Math.floor(next() * common.length)]! : tail[Math.floor(next() ** 3 * tail.length)]!,
    );
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

/**
 * The FTS body of a corpus text, as worker/domain/search-text.ts `indexText` makes it (the scripts do
 * not import Worker code; test/search-bench.test.ts checks the two agree on the corpus).
 */
export function corpusBody(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu, (run) => {
      const chars = [...run];
      if (chars.length < 2) return ` ${run} `;
      return ` ${chars
        .slice(0, -1)
        .map((c, k) => c + chars[k + 1])
        .join(" ")} `;
    });
}

export interface SearchQuery {
  name: string;
  q: string;
  kinds?: string;
  task_id?: string;
}

export const SEARCH_QUERIES: SearchQuery[] = [
  { name: "common word", q: "test" },
  { name: "two common words", q: "deploy timeout" },
  { name: "rare word", q: RARE },
  { name: "Chinese word", q: "超时" },
  { name: "Chinese words", q: "登录超时" },
  { name: "common, kinds=review", q: "test", kinds: "review" },
  { name: "common, task_id", q: "test", task_id: "task-7" },
  { name: "Chinese, task_id", q: "超时", task_id: "task-7" },
];

/**
 * How much rows read may grow with the index (5× or 10× more entries) for a query whose matches
 * pass the ranked cap at both sizes: only the newest 500 are ranked and joined, so the cost must stay
 * about flat; 2× leaves room for FTS5's own doclist pages and fails if the cap stops working.
 */
export const MAX_CAPPED_GROWTH = 2;
