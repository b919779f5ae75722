// Repeated failure patterns (docs/retrospectives.md): the same issue item, or the same kind of sub-task,
// rejected more than once. Exact matching on normalised text, keyed by a cheap hash: similarity
// measures cost seconds of CPU per week of rejections, this costs milliseconds. Pure.
import {
  RETRO_CLIP,
  type RetroKeys,
  type RetroPattern,
  type RetroPatternKind,
} from "../../contract/api/retrospective-body";

/** Items shorter than this after normalising say too little to match on ("typo", "n/a"). */
const MIN_ITEM_LENGTH = 8;
/** Issue keys kept per rejection (a long list of items adds little and bounds the body). */
export const MAX_KEYS_PER_REJECTION = 5;
/** Sub-task ids and agent ids listed per pattern. */
const MAX_PATTERN_MEMBERS = 10;

const BULLET = /^\s*(?:[-*•·]+|\d+\s*[.)、])\s*/u;
// Ids (hex runs of 8+ with a digit in them: uuids, hashes) and numbers vary between otherwise equal items.
const HEX_ID = /\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/g;
const DIGITS = /\d+/g;
const PUNCTUATION = /(?!#)[\p{P}\p{S}]/gu;

export interface IssueItem {
  key: string;
  /** The item as the reviewer wrote it (bullet stripped), clipped. */
  sample: string;
}

/** A text's 16-hex key: two 32-bit FNV-1a lanes with different offsets (no WebCrypto round trip). */
export function fnvKey(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/** The comparable form of one issue item: case, width, numbers, ids and punctuation erased. */
export function normaliseItem(item: string): string {
  // NFKC first, so a full-width bullet ("１、") is recognised as one.
  return item
    .normalize("NFKC")
    .replace(BULLET, "")
    .toLowerCase()
    .replace(HEX_ID, "#")
    .replace(DIGITS, "#")
    .replace(PUNCTUATION, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The items of a review's `issues` text (one per line or `;`/`；`), each with its key; duplicates once. */
export function issueItems(issues: string): IssueItem[] {
  const seen = new Map<string, IssueItem>();
  for (const raw of issues.split(/\r?\n|;|；/u)) {
    const normal = normaliseItem(raw);
    if (normal.length < MIN_ITEM_LENGTH) continue;
    const key = fnvKey(normal);
    if (!seen.has(key)) seen.set(key, { key, sample: raw.replace(BULLET, "").trim().slice(0, RETRO_CLIP.sample) });
  }
  return [...seen.values()];
}

/**
 * A sub-task's "type" key: the round template's item for a recurring task's round (the same step
 * every round), else its task and its name with numbers and dates erased ("Translate batch 3").
 */
export function subTaskTypeKey(taskId: string, name: string, templateKey: string | null): string {
  return fnvKey(templateKey ? `${taskId}\u0000tpl:${templateKey}` : `${taskId}\u0000${normaliseItem(name)}`);
}

/** One rejection as pattern detection sees it. */
export interface RejectionKeys {
  reviewId: string;
  subTaskId: string;
  subTaskName: string;
  taskId: string;
  executor: string | null;
  issues: IssueItem[];
  typeKey: string;
}

/** Earlier retrospectives' keys (the newest first), for "again". */
export interface PreviousKeys {
  periodKey: string;
  keys: RetroKeys;
}

interface Tally {
  kind: RetroPatternKind;
  key: string;
  sample: string;
  reviews: Set<string>;
  subTasks: string[];
  agents: string[];
  tasks: Map<string, number>;
}

const KEYS_FIELD = { issue: "issue", sub_task_type: "type" } as const;

function tallyOf(kind: RetroPatternKind, rejections: RejectionKeys[]): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  for (const r of rejections) {
    const entries = kind === "issue" ? r.issues : [{ key: r.typeKey, sample: r.subTaskName }];
    for (const { key, sample } of entries) {
      let t = tallies.get(key);
      if (!t) {
        t = {
          kind,
          key,
          sample: sample.slice(0, RETRO_CLIP.sample),
          reviews: new Set(),
          subTasks: [],
          agents: [],
          tasks: new Map(),
        };
        tallies.set(key, t);
      }
      t.reviews.add(r.reviewId);
      if (!t.subTasks.includes(r.subTaskId)) t.subTasks.push(r.subTaskId);
      if (r.executor && !t.agents.includes(r.executor)) t.agents.push(r.executor);
      t.tasks.set(r.taskId, (t.tasks.get(r.taskId) ?? 0) + 1);
    }
  }
  return tallies;
}

/** The task with the most of the pattern's rejections (ties: the smaller id), where a rule would go. */
const topTask = (tasks: Map<string, number>): string =>
  [...tasks].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];

/**
 * The period's patterns: a key carried by two or more rejections, or by one that an earlier period
 * (in `previous`) also rejected. Most frequent first; repeats from earlier periods before new ones.
 */
export function findPatterns(rejections: RejectionKeys[], previous: PreviousKeys[]): RetroPattern[] {
  const patterns: RetroPattern[] = [];
  for (const kind of ["issue", "sub_task_type"] as const) {
    for (const t of tallyOf(kind, rejections).values()) {
      const seenBefore = previous.filter((p) => (p.keys[KEYS_FIELD[kind]][t.key] ?? 0) > 0).map((p) => p.periodKey);
      if (t.reviews.size < 2 && seenBefore.length === 0) continue;
      patterns.push({
        kind,
        key: t.key,
        sample: t.sample,
        count: t.reviews.size,
        again: seenBefore.length > 0,
        previous_periods: seenBefore,
        sub_tasks: t.subTasks.slice(0, MAX_PATTERN_MEMBERS),
        agents: t.agents.slice(0, MAX_PATTERN_MEMBERS),
        top_task_id: topTask(t.tasks),
      });
    }
  }
  return patterns.sort(
    (a, b) =>
      b.count - a.count ||
      Number(b.again) - Number(a.again) ||
      a.kind.localeCompare(b.kind) ||
      a.key.localeCompare(b.key),
  );
}

/** Every key of the period with its count (the most frequent `max` of each kind), for later periods' "again". */
export function keysOf(rejections: RejectionKeys[], max: number): RetroKeys {
  const top = (counts: Map<string, number>) =>
    Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, max));
  const issue = new Map<string, number>();
  const type = new Map<string, number>();
  for (const r of rejections) {
    for (const item of r.issues) issue.set(item.key, (issue.get(item.key) ?? 0) + 1);
    type.set(r.typeKey, (type.get(r.typeKey) ?? 0) + 1);
  }
  return { issue: top(issue), type: top(type) };
}
