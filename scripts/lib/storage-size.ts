// D1 storage during a benchmark: the local D1 database's size in bytes, sampled while `wrangler dev`
// runs, against the number of completed sub-tasks; and, once the server has stopped, rows and bytes
// per table. Issue 14 point 4: bytes per completed sub-task should stay flat over a long run.
//
// The size is the logical one (pages × page size, what `PRAGMA page_count` gives and D1 reports),
// read from the SQLite file headers without opening the database: workerd keeps it in WAL mode and
// does not checkpoint even on exit, so the main file alone says nothing and main + WAL overcounts
// (the WAL is reused, never shrunk). Opening the live database from here would take locks that the
// server's writer contends with; reading headers takes none.
import { closeSync, fstatSync, openSync, readdirSync, readSync } from "node:fs";
import path from "node:path";
import { num } from "./report.ts";

/** The D1 database file of a `--persist-to` directory (the project binds one database, DB). */
export function findD1File(persistTo: string): string {
  const dir = path.join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject");
  const files = readdirSync(dir).filter((n) => /^[0-9a-f]{64}\.sqlite$/.test(n));
  if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.length}`);
  return path.join(dir, files[0]!);
}

function readAll(file: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return Buffer.alloc(0);
    throw err;
  }
  try {
    const buf = Buffer.alloc(fstatSync(fd).size);
    // The server may append while we read: keep what was read (a short frame is skipped below).
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * { bytes, fileBytes }: the database's logical size (the page count after the last commit in the WAL,
 * else the main file header's, × page size) and what its main and WAL files take on disk.
 * Format: https://www.sqlite.org/fileformat.html (database header, WAL header and frame headers).
 */
export function d1Size(file: string): { bytes: number; fileBytes: number } {
  const main = readAll(file);
  const wal = readAll(`${file}-wal`);
  const fileBytes = main.length + wal.length;
  let pageSize = main.length >= 100 ? main.readUInt16BE(16) : 0;
  if (pageSize === 1) pageSize = 65536;
  // The header's page count is valid only when its change counter matches "version-valid-for".
  let pages = main.length >= 100 && main.readUInt32BE(24) === main.readUInt32BE(92) ? main.readUInt32BE(28) : 0;
  if (!pages && pageSize) pages = Math.floor(main.length / pageSize);
  if (wal.length >= 32 && (wal.readUInt32BE(0) & 0xfffffffe) === 0x377f0682) {
    const walPageSize = wal.readUInt32BE(8);
    const salt1 = wal.readUInt32BE(16);
    const salt2 = wal.readUInt32BE(20);
    // Frames of the current WAL generation carry its salts; older frames past them are leftovers of
    // an earlier one. Checksums are not verified: a torn last frame can at worst report a commit a
    // moment early, which a sample every few seconds cannot tell apart.
    for (let off = 32; off + 24 + walPageSize <= wal.length; off += 24 + walPageSize) {
      if (wal.readUInt32BE(off + 8) !== salt1 || wal.readUInt32BE(off + 12) !== salt2) break;
      const commitPages = wal.readUInt32BE(off + 4);
      if (commitPages) pages = commitPages;
    }
    pageSize = walPageSize;
  }
  return { bytes: pages * pageSize, fileBytes };
}

/**
 * Samples the D1 size and the completed sub-tasks (`doneCount()`) now and every `everyS` seconds
 * until stop(), which takes a last sample.
 */
export interface StorageSample {
  /** Seconds since start(). */
  t: number;
  done: number;
  bytes: number;
  fileBytes: number;
}

export class StorageSampler {
  file: string;
  everyS: number;
  doneCount: () => number;
  samples: StorageSample[] = [];
  timer: ReturnType<typeof setInterval> | undefined;
  t0 = 0;

  constructor({ persistTo, everyS = 10, doneCount }: { persistTo: string; everyS?: number; doneCount: () => number }) {
    this.file = findD1File(persistTo);
    this.everyS = everyS;
    this.doneCount = doneCount;
  }

  sample() {
    this.samples.push({ t: (performance.now() - this.t0) / 1000, done: this.doneCount(), ...d1Size(this.file) });
  }

  start() {
    this.t0 = performance.now();
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyS * 1000);
  }

  stop() {
    clearInterval(this.timer);
    this.sample();
    return this.samples;
  }
}

/** Least-squares slope of bytes over completed sub-tasks (pages come in bursts: no single delta). */
function slope(samples: StorageSample[]): number {
  if (samples.length < 2) return NaN;
  const mx = samples.reduce((s, p) => s + p.done, 0) / samples.length;
  const my = samples.reduce((s, p) => s + p.bytes, 0) / samples.length;
  let sxy = 0;
  let sxx = 0;
  for (const p of samples) {
    sxy += (p.done - mx) * (p.bytes - my);
    sxx += (p.done - mx) ** 2;
  }
  return sxx ? sxy / sxx : NaN;
}

/** Within ±FLAT of the overall slope over the later half of the run counts as flat. */
const FLAT = 0.2;
/**
 * A later-half slope above SUPERLINEAR × the earlier half's fails the bench: clearly not linear.
 * (Against the overall slope it could never trip: for bytes ∝ done² the later half is only 1.5×.)
 */
const SUPERLINEAR = 2;

/**
 * The series (bytes per done sub-task net of the size before the run, growth per sub-task since the
 * previous sample), the overall and later-half slopes and the verdict (also against the earlier half). Only samples after the first
 * completed sub-task count for the slopes; `fail` is set only for clearly super-linear growth.
 */
export type StorageAnalysis = ReturnType<typeof storageAnalysis>;

export function storageAnalysis(samples: StorageSample[]) {
  const base = samples[0]?.bytes ?? 0;
  const rows = samples.map((s, i) => {
    const prev = samples[i - 1];
    return {
      ...s,
      perDone: s.done ? (s.bytes - base) / s.done : NaN,
      growth: prev && s.done > prev.done ? (s.bytes - prev.bytes) / (s.done - prev.done) : NaN,
    };
  });
  const working = samples.filter((s) => s.done > 0);
  const endT = samples.at(-1)?.t ?? 0;
  const early = working.filter((s) => s.t <= endT / 2);
  const late = working.filter((s) => s.t >= endT / 2);
  const overall = slope(working);
  const later = slope(late);
  const ratio = later / overall;
  const lateToEarly = later / slope(early);
  let verdict: string;
  let fail = false;
  if (early.length >= 3 && late.length >= 3 && overall <= 0) {
    verdict = "flat: the database did not grow while sub-tasks completed";
  } else if (early.length < 3 || late.length < 3 || !Number.isFinite(ratio) || !Number.isFinite(lateToEarly)) {
    verdict = `not enough samples to judge (${early.length} and ${late.length} in the halves, with sub-tasks completing in each; run longer)`;
  } else if (Math.abs(ratio - 1) <= FLAT) {
    verdict = `flat: the later half grows ${num(later)} B per sub-task, ${((ratio - 1) * 100).toFixed(0)}% from the overall ${num(overall)} B (within ±${FLAT * 100}%)`;
  } else {
    fail = lateToEarly > SUPERLINEAR;
    verdict = `${fail ? "GROWING SUPER-LINEARLY" : "not flat"}: the later half grows ${num(later)} B per sub-task vs ${num(overall)} B overall (${ratio.toFixed(2)}×) and ${lateToEarly.toFixed(2)}× the earlier half's (fails above ${SUPERLINEAR}×)`;
  }
  return { rows, base, overall, later, verdict, fail };
}

/** Tables that housekeeping or a cap keeps bounded, and why (the rest is history kept by design). */
const BOUNDED: Record<string, string> = {
  rate_bucket: "one per agent",
  idempotency_key: "expire (housekeeping)",
  auth_throttle: "expire (housekeeping)",
  admin_session: "expire (housekeeping)",
  notification_outbox: "none without a channel; retention",
  notification_delivery: "retention (notification.retention_days)",
  notification_attempt: "retention (notification.retention_days)",
  request_log: "retention (webui.feed_retention_days)",
};

/** Rows and bytes (table and its indexes, from dbstat) per table; call after the server stopped. */
export interface TableStat {
  table: string;
  rows: number;
  bytes: number;
  /** What keeps the table bounded ("" for history kept by design). */
  note: string;
}

export async function tableStats(file: string): Promise<TableStat[]> {
  const { DatabaseSync } = await import("node:sqlite");
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const bytes = new Map(
      db
        .prepare(
          "SELECT m.tbl_name AS t, SUM(s.pgsize) AS b FROM dbstat s JOIN sqlite_master m ON m.name = s.name GROUP BY m.tbl_name",
        )
        .all()
        .map((r) => [String(r.t), Number(r.b)] as const),
    );
    return db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY name",
      )
      .all()
      .map((r) => String(r.name))
      .map((name) => ({
        table: name,
        rows: Number(db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get()?.n),
        bytes: bytes.get(name) ?? 0,
        note: BOUNDED[name] ?? "",
      }));
  } finally {
    db.close();
  }
}

const kb = (b: number) => (Number.isFinite(b) ? (b / 1024).toFixed(1) : "–");
const per = (n: number, done: number) => (done ? (n / done).toFixed(2) : "–");

/** Columns that hold text (left-aligned); the rest are numbers. */
const SERIES_TEXT = new Set<number>();
const TABLE_TEXT = new Set([0, 5]);

function seriesLines(a: StorageAnalysis): string[][] {
  return a.rows.map((r) => [
    r.t.toFixed(0),
    String(r.done),
    kb(r.bytes),
    kb(r.fileBytes),
    num(r.perDone),
    num(r.growth),
  ]);
}
const SERIES_HEAD = ["s", "done", "D1 KiB", "files KiB", "B/done", "ΔB/Δdone"];

function tableLines(tables: TableStat[], done: number): string[][] {
  return tables.map((t) => [
    t.table,
    num(t.rows),
    per(t.rows, done),
    kb(t.bytes),
    num(done ? t.bytes / done : NaN),
    t.note,
  ]);
}
const TABLE_HEAD = ["table", "rows", "rows/done", "KiB", "B/done", "bounded by"];

function aligned(head: string[], text: Set<number>, lines: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]?.length ?? 0)));
  const row = (cells: string[]) =>
    cells
      .map((c, i) => (text.has(i) ? c.padEnd(w[i]!) : c.padStart(w[i]!)))
      .join("  ")
      .trimEnd();
  return [row(head), ...lines.map(row)].join("\n");
}

function md(head: string[], text: Set<number>, lines: string[][]): string {
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map((_, i) => (text.has(i) ? "---" : "---:")).join(" | ")} |`,
    ...lines.map((l) => `| ${l.join(" | ")} |`),
  ].join("\n");
}

export function storageText(a: StorageAnalysis, tables: TableStat[]): string {
  const done = a.rows.at(-1)?.done ?? 0;
  return (
    `D1 storage (logical size; B/done net of the ${kb(a.base)} KiB before the run):\n${aligned(SERIES_HEAD, SERIES_TEXT, seriesLines(a))}\n` +
    `Verdict: ${a.verdict}\n\nRows and bytes per table at the end (${done} sub-tasks done; KiB includes the table's indexes):\n${aligned(TABLE_HEAD, TABLE_TEXT, tableLines(tables, done))}`
  );
}

/** `context`: the run's date, machine and load, since this section can be rewritten on its own. */
export function storageMarkdown(a: StorageAnalysis, tables: TableStat[], context: string): string {
  const done = a.rows.at(-1)?.done ?? 0;
  return `${context}

D1 size at every sample of this load run: the logical size (pages × page size, from the SQLite and WAL headers), the files on disk (main + WAL, which workerd never shrinks), bytes per completed sub-task net of the ${kb(a.base)} KiB before the teams started, and the growth per sub-task since the previous sample.

${md(SERIES_HEAD, SERIES_TEXT, seriesLines(a))}

**Verdict:** ${a.verdict}.

Rows and bytes per table at the end (${done} sub-tasks done; bytes include each table's indexes, from \`dbstat\`):

${md(TABLE_HEAD, TABLE_TEXT, tableLines(tables, done))}`;
}
