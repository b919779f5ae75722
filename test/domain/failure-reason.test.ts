// The reason `npm test`'s summary prints for a step that failed with no failed test to show, picked from
// outputs as the steps print them (colours included).
import { describe, expect, it } from "vitest";
import { failureReason, Tail } from "../../scripts/lib/failure-reason";

/** The end of the browser suite's output when its global setup threw (vitest 4, colours on). */
const GLOBAL_SETUP_THREW = [
  "\u001b[31m⎯⎯⎯⎯⎯⎯\u001b[39m\u001b[1m\u001b[41m Unhandled Error \u001b[49m\u001b[22m\u001b[31m⎯⎯⎯⎯⎯⎯⎯\u001b[39m",
  "\u001b[31m\u001b[1mError\u001b[22m: No Chromium found: no CHROMIUM_PATH, no system Chromium (/usr/bin/chromium).",
  "Get a browser, then run the tests again:\u001b[39m",
  "  Debian/Ubuntu:  apt-get install chromium",
  "\u001b[36m \u001b[2m❯\u001b[22m findChromium scripts/lib/chromium.ts:\u001b[2m52:32\u001b[22m\u001b[39m",
  '    \u001b[90m 52|\u001b[39m   if ("error" in choice) throw new Error(choice.error);',
  "",
  "\u001b[2m Test Files \u001b[22m \u001b[2mno tests\u001b[22m",
  "\u001b[2m     Errors \u001b[22m \u001b[1m\u001b[31m1 error\u001b[39m\u001b[22m",
];

describe("failureReason", () => {
  it("takes the first error message without colours, up to two lines, and none of the summary", () => {
    expect(failureReason(GLOBAL_SETUP_THREW)).toBe(
      "Error: No Chromium found: no CHROMIUM_PATH, no system Chromium (/usr/bin/chromium). Get a browser, then run the tests again:",
    );
    expect(failureReason(GLOBAL_SETUP_THREW, 1)).toBe(
      "Error: No Chromium found: no CHROMIUM_PATH, no system Chromium (/usr/bin/chromium).",
    );
  });

  it("stops a message at its stack or code frame", () => {
    expect(failureReason(["TypeError: x is not a function", "    at run (a.ts:3:5)", "more"], 3)).toBe(
      "TypeError: x is not a function",
    );
  });

  it("finds tsc's errors, which start with the file name", () => {
    expect(failureReason(["> tsc", "test/a.ts(3,5): error TS2322: Type 'string' is not assignable."])).toBe(
      "test/a.ts(3,5): error TS2322: Type 'string' is not assignable.",
    );
  });

  it("falls back to the last non-empty line, and to nothing for no output", () => {
    expect(failureReason(["starting", "Segmentation fault", ""])).toBe("Segmentation fault");
    expect(failureReason([])).toBe("");
  });
});

describe("Tail", () => {
  it("keeps only the last lines pushed", () => {
    const tail = new Tail(2);
    for (const line of ["a", "b", "c"]) tail.push(line);
    expect(tail.lines).toEqual(["b", "c"]);
  });
});
