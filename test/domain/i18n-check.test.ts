import { describe, expect, it } from "vitest";
import { compareCatalogues, placeholders } from "../../scripts/lib/i18n-check";

const opts = { sameInBoth: new Set(["OpenMOSS Edge"]) };

describe("compareCatalogues", () => {
  const en = {
    shell: { title: "Tasks", greet: "Hello {name}", brand: "OpenMOSS Edge" },
    items: { one: "{count} item", other: "{count} items" },
    fn: (p: { id: string }) => `task ${p.id}`,
  };

  it("accepts a complete translation", () => {
    const zh = {
      shell: { title: "任务", greet: "你好，{name}", brand: "OpenMOSS Edge" },
      items: { other: "{count} 项" },
      fn: (p: { id: string }) => `任务 ${p.id}`,
    };
    expect(compareCatalogues(en, zh, opts)).toEqual([]);
  });

  it("names every gap: missing, extra, untranslated, placeholders, empty, shapes", () => {
    const zh = {
      shell: { title: "Tasks", greet: "你好，{who}", extra: "多余" },
      items: "{count} 项",
      fn: () => "任务",
    };
    expect(compareCatalogues(en, zh as never, opts).sort()).toEqual(
      [
        'shell.title: not translated ("Tasks")',
        "shell.greet: placeholders {who} differ from English {name}",
        "shell.brand: missing",
        "shell.extra: not in English (a stale or misspelled key)",
        'items: English has plural forms, the translation needs at least "other"',
        "fn: takes 0 argument(s), English takes 1",
      ].sort(),
    );
    expect(compareCatalogues({ a: "Hi" }, { a: " " }, opts)).toEqual(["a: empty"]);
  });

  it("takes a format with no words of its own as translated, but not one with English words", () => {
    expect(compareCatalogues({ a: "{name} ({role})" }, { a: "{name}（{role}）" }, opts)).toEqual([]);
    expect(compareCatalogues({ a: "{name} of {role}" }, { a: "{name} of {role}" }, opts)).toEqual([
      'a: not translated ("{name} of {role}")',
    ]);
  });

  it("reads placeholders once each, sorted", () => {
    expect(placeholders("{b} and {a} and {b}")).toEqual(["a", "b"]);
  });
});
