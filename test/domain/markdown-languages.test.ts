/// <reference types="vite/client" />
// Every Markdown text the server hands agents exists in English and Simplified Chinese (issue 17).
// The Chinese file is written natively, so its prose is free; what an agent or the server acts on is
// not: placeholders the server fills, code blocks and `node task-cli.mjs …` commands an agent runs,
// and the frontmatter values that identify a skill or an agent prompt. This holds each pair to them.
import { describe, expect, it } from "vitest";

/**
 * Every bundled Markdown file, English and Chinese, keyed by its path from the repo root. Vite reads
 * them as text (the root tsconfig has no Node types, so no node:fs); listing by pattern means a new
 * English file must bring its Chinese sibling.
 */
const FILES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(
    import.meta.glob<string>(
      [
        "../../skills/task-*-skill/SKILL*.md",
        "../../prompts/templates/*.md",
        "../../prompts/agents/*.md",
        "../../rules/global-rule*.md",
      ],
      { query: "?raw", import: "default", eager: true },
    ),
  ).map(([path, text]) => [path.replace(/^\.\.\/\.\.\//, ""), text]),
);

const ZH_SUFFIX = ".zh-CN.md";

type Kind = "skill" | "template" | "agent" | "rule";

/** Frontmatter keys whose values are display text, translated; every other key is machine data and stays byte-identical. */
const TRANSLATED_KEYS: Readonly<Record<Kind, readonly string[]>> = {
  skill: ["description"],
  template: [],
  agent: ["name", "description"],
  rule: [],
};

/** Bytes are read by an agent on every wake-up: the Chinese caps are 1.2 × the English ones (skills 6,500 B, global rule 2,500 B). */
const ZH_BYTE_CAP: Readonly<Partial<Record<Kind, number>>> = { skill: 7_800, rule: 3_000 };

interface Pair {
  kind: Kind;
  en: string;
  zh: string;
}

const kindOf = (path: string): Kind =>
  path.startsWith("skills/")
    ? "skill"
    : path.startsWith("prompts/templates/")
      ? "template"
      : path.startsWith("prompts/agents/")
        ? "agent"
        : "rule";

const bundledPairs = (): Pair[] =>
  Object.keys(FILES)
    .filter((path) => !path.endsWith(ZH_SUFFIX))
    .sort()
    .map((en) => ({ kind: kindOf(en), en, zh: en.replace(/\.md$/, ZH_SUFFIX) }));

function read(path: string): string {
  const text = FILES[path];
  if (text === undefined) throw new Error(`${path} is missing: every bundled English Markdown file needs it`);
  return text;
}

/** The YAML frontmatter's `key: value` lines (these files use flat, one-line values only). */
function frontmatter(text: string): Map<string, string> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text);
  const entries = (match?.[1] ?? "").split("\n").map((line) => /^([\w-]+):\s*(.*)$/.exec(line));
  return new Map(entries.flatMap((m) => (m ? [[m[1]!, m[2]!] as const] : [])));
}

/** Fenced code blocks, fences included, in document order; and the text outside them. */
function splitFences(text: string): { blocks: string[]; prose: string } {
  const blocks: string[] = [];
  const prose: string[] = [];
  let open: { fence: string; lines: string[] } | undefined;
  for (const line of text.split("\n")) {
    if (open) {
      open.lines.push(line);
      if (line.trim() === open.fence) {
        blocks.push(open.lines.join("\n"));
        open = undefined;
      }
      continue;
    }
    const start = /^\s*(`{3,}|~{3,})/.exec(line);
    if (start) open = { fence: start[1]!, lines: [line] };
    else prose.push(line);
  }
  if (open) blocks.push(open.lines.join("\n"));
  return { blocks, prose: prose.join("\n") };
}

/** Same pattern as fillPlaceholders in worker/domain/prompts.ts: what the server fills. */
const placeholders = (text: string): string[] =>
  [...new Set([...text.matchAll(/\{\{([A-Za-z0-9_]+)\}\}/g)].map((m) => m[1]!))].sort();

/** Backquoted CLI commands in the prose, whitespace collapsed (a span may wrap across lines). */
const cliCommands = (prose: string): string[] =>
  [...new Set([...prose.matchAll(/`(node task-cli\.mjs[^`]*)`/g)].map((m) => m[1]!.replace(/\s+/g, " ")))].sort();

const HAN = /\p{Script=Han}/u;

const PAIRS = bundledPairs();

describe("bundled Markdown in English and Chinese", () => {
  it("finds every kind of bundled English file (the four skills, four role templates, the agents, the global rule)", () => {
    const count = (kind: Kind) => PAIRS.filter((p) => p.kind === kind).length;
    expect(count("skill")).toBe(4);
    expect(count("template")).toBe(4);
    expect(count("agent")).toBeGreaterThan(0);
    expect(count("rule")).toBe(1);
  });

  it("has no Chinese file without its English original (English stays the default)", () => {
    const orphans = Object.keys(FILES).filter((path) => path.endsWith(ZH_SUFFIX) && !PAIRS.some((p) => p.zh === path));
    expect(orphans, "Chinese files with no English sibling").toEqual([]);
  });

  describe.each(PAIRS)("$zh", ({ kind, en, zh }) => {
    it("exists next to its English file", () => {
      expect(FILES[zh], `${zh} is missing (sibling of ${en})`).toBeTypeOf("string");
    });

    it("has the same {{placeholders}}", () => {
      expect(placeholders(read(zh)), `${zh}: placeholders differ from ${en}`).toEqual(placeholders(read(en)));
    });

    it("has the same fenced code blocks, byte for byte, in the same order", () => {
      expect(splitFences(read(zh)).blocks, `${zh}: code blocks differ from ${en}`).toEqual(
        splitFences(read(en)).blocks,
      );
    });

    it("names the same backquoted `node task-cli.mjs …` commands", () => {
      expect(cliCommands(splitFences(read(zh)).prose), `${zh}: inline CLI commands differ from ${en}`).toEqual(
        cliCommands(splitFences(read(en)).prose),
      );
    });

    it("has the same frontmatter keys, machine values unchanged", () => {
      const enMatter = frontmatter(read(en));
      const zhMatter = frontmatter(read(zh));
      expect([...zhMatter.keys()].sort(), `${zh}: frontmatter keys differ from ${en}`).toEqual(
        [...enMatter.keys()].sort(),
      );
      for (const [key, value] of enMatter) {
        if (TRANSLATED_KEYS[kind].includes(key)) continue;
        expect(zhMatter.get(key), `${zh}: frontmatter "${key}" must equal ${en}'s`).toBe(value);
      }
    });

    it("is Chinese prose, and its English sibling has no Chinese", () => {
      expect(HAN.test(splitFences(read(zh)).prose), `${zh}: no Chinese characters in its prose`).toBe(true);
      expect(HAN.test(read(en)), `${en}: contains Chinese characters`).toBe(false);
    });

    const cap = ZH_BYTE_CAP[kind];
    if (cap !== undefined)
      it(`stays within ${cap} bytes`, () => {
        expect(new TextEncoder().encode(read(zh)).length, `${zh}: UTF-8 bytes`).toBeLessThanOrEqual(cap);
      });
  });
});
