// The CLI's two catalogues side by side (no server): every Chinese message is Chinese (a few
// language-neutral ones are allow-listed), keeps the commands its English twin quotes in backticks,
// and the command table's help exists in Chinese for every command, argument and flag.
import { describe, expect, it } from "vitest";
import { type CommandSpec, GLOBAL_FLAGS, isGroup } from "../../skills/cli/args";
import { TABLE } from "../../skills/cli/commands/index";
import { en } from "../../skills/cli/i18n/en/index";
import { zhCN } from "../../skills/cli/i18n/zh-CN/index";

const CJK = /[\u4e00-\u9fff]/;
/** Messages with no prose of their own (a name, a role and a status in full-width brackets). */
const NEUTRAL = new Set(["briefing.who"]);

/**
 * Every message as text: a string as it is, a function called with sample arguments. Each sample is a
 * two-item array: it prints as text in a template, counts as a number where compared, and gives an
 * enumeration (`oneOf`) two values to join.
 */
function texts(value: unknown, key = ""): [string, string][] {
  if (typeof value === "string") return [[key, value]];
  if (typeof value === "function") {
    const args = Array.from({ length: value.length }, (_, i) => [`A${i}`, `B${i}`]);
    return [[key, String(value(...args))]];
  }
  return Object.entries(value as object).flatMap(([k, v]) => texts(v, key ? `${key}.${k}` : k));
}

const backquoted = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]).sort();

describe("the zh-CN catalogue", () => {
  const english = new Map(texts(en));
  const chinese = texts(zhCN);

  it("has the English keys (tsc checks it too) and writes each in Chinese", () => {
    expect(chinese.map(([key]) => key)).toEqual([...english.keys()]);
    expect(chinese.length).toBeGreaterThan(200);
    const notChinese = chinese.filter(([key, text]) => !NEUTRAL.has(key) && !CJK.test(text));
    expect(notChinese).toEqual([]);
  });

  it("keeps every backquoted command of its English twin, unchanged", () => {
    const quoting = chinese.filter(([key]) => backquoted(english.get(key)!).length > 0);
    expect(quoting.length).toBeGreaterThan(10);
    const differing = chinese
      .filter(([key, text]) => JSON.stringify(backquoted(text)) !== JSON.stringify(backquoted(english.get(key)!)))
      .map(([key, text]) => ({ key, en: backquoted(english.get(key)!), zh: backquoted(text) }));
    expect(differing).toEqual([]);
  });

  it("leaves no English message in the Chinese catalogue", () => {
    // The English source of truth has no Chinese, so a CJK check above cannot pass on a copied string.
    expect([...english].filter(([, text]) => CJK.test(text))).toEqual([]);
  });
});

describe("the command table's help", () => {
  const commands = TABLE.flatMap((e): [string, CommandSpec][] =>
    isGroup(e) ? e.commands.map((c) => [`${e.name} ${c.name}`, c]) : [[e.name, e]],
  );

  it("has a Chinese summary for every group and command", () => {
    const groups = TABLE.filter(isGroup).map((g): [string, string] => [g.name, g.summary(zhCN)]);
    const summaries = [...groups, ...commands.map(([path, c]): [string, string] => [path, c.summary(zhCN)])];
    expect(summaries.length).toBeGreaterThan(50);
    expect(summaries.filter(([, text]) => !CJK.test(text))).toEqual([]);
  });

  it("has Chinese help for every argument and flag, except bare lists of enum values", () => {
    const specs = [
      ...GLOBAL_FLAGS.map((f) => ({ path: "(global)", ...f })),
      ...commands.flatMap(([path, c]) => [...(c.positionals ?? []), ...(c.flags ?? [])].map((s) => ({ path, ...s }))),
    ];
    const untranslated = specs
      .filter((s) => !CJK.test(s.help(zhCN)))
      // An enum list reads the same in both languages: its values are the machine's, never translated.
      .filter((s) => s.help(zhCN) !== s.help(en) || !s.choices?.every((c) => s.help(en).includes(c)))
      .map((s) => `${s.path} ${s.name}: ${s.help(zhCN)}`);
    expect(specs.length).toBeGreaterThan(100);
    expect(untranslated).toEqual([]);
  });
});
