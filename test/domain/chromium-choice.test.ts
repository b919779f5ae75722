// The browser suite's choice of Chromium on made-up machines; the real fallback (system browser hidden,
// the npm package's unpacked) is proven by .ci/run, which runs the browser suite that way.
import { describe, expect, it } from "vitest";
import { CHROMIUM_PACKAGE, chooseChromium, type Machine, SYSTEM_CHROMIUMS } from "../../scripts/lib/chromium-choice";
import { failureReason } from "../../scripts/lib/failure-reason";

/** A linux x64 machine with the package installed, no CHROMIUM_PATH, and only `files` executable. */
function machine(files: string[], overrides: Partial<Machine> = {}): Machine {
  return {
    chromiumPath: undefined,
    isExecutable: (path) => files.includes(path),
    platform: "linux",
    arch: "x64",
    packageVersion: "153.0.0",
    ...overrides,
  };
}

const errorOf = (m: Machine) => {
  const choice = chooseChromium(m);
  if (!("error" in choice)) throw new Error(`expected an error, got ${JSON.stringify(choice)}`);
  return choice.error;
};

describe("chooseChromium", () => {
  it("takes CHROMIUM_PATH first, even over a system Chromium", () => {
    const m = machine(["/opt/chrome/chrome", "/usr/bin/chromium"], { chromiumPath: "/opt/chrome/chrome" });
    expect(chooseChromium(m)).toEqual({ source: "CHROMIUM_PATH", path: "/opt/chrome/chrome", why: "CHROMIUM_PATH" });
  });

  it("refuses a CHROMIUM_PATH that is not executable instead of falling through to another browser", () => {
    const error = errorOf(machine(["/usr/bin/chromium"], { chromiumPath: "/nonexistent" }));
    expect(error).toContain("CHROMIUM_PATH=/nonexistent is not an executable file");
  });

  it("treats an empty CHROMIUM_PATH as not set", () => {
    expect(chooseChromium(machine(["/usr/bin/chromium"], { chromiumPath: "" }))).toMatchObject({
      source: "system",
      path: "/usr/bin/chromium",
    });
  });

  it("takes the first system Chromium in the list's order", () => {
    const [first, second, third] = SYSTEM_CHROMIUMS as [string, string, string];
    expect(chooseChromium(machine([third, second]))).toMatchObject({ source: "system", path: second });
    expect(chooseChromium(machine([third, first]))).toMatchObject({ source: "system", path: first });
  });

  it("falls back to the npm package on linux x64, naming its version", () => {
    expect(chooseChromium(machine([]))).toEqual({
      source: "package",
      version: "153.0.0",
      why: "no CHROMIUM_PATH, no system Chromium",
    });
  });

  it("says how to get a browser when the package is not installed", () => {
    const error = errorOf(machine([], { packageVersion: null }));
    expect(error).toContain(`${CHROMIUM_PACKAGE} is not installed`);
    expect(error).toContain("apt-get install chromium");
    expect(error).toContain("npm install");
    expect(error).toContain("CHROMIUM_PATH=");
  });

  it("puts the how-to in the two lines that npm test's summary quotes", () => {
    const thrown = `Error: ${errorOf(machine([], { packageVersion: null }))}`.split("\n");
    const summary = failureReason(["", ...thrown, " ❯ test/browser/global-setup.ts:20:11"]);
    expect(summary).toContain("No Chromium found");
    expect(summary).toContain("apt-get install chromium");
    expect(summary).toContain("CHROMIUM_PATH=/path/to/chromium");
    expect(summary).not.toContain("/snap/bin/chromium");
  });

  it.each([
    ["darwin", "arm64"],
    ["linux", "arm64"],
    ["win32", "x64"],
  ])("does not offer the package on %s %s, where it has no build", (platform, arch) => {
    const error = errorOf(machine([], { platform, arch }));
    expect(error).toContain(`has no build for ${platform} ${arch}`);
    expect(error).toContain("brew install --cask chromium");
  });

  it("still prefers a system Chromium on a platform the package does not cover", () => {
    const mac = SYSTEM_CHROMIUMS.find((p) => p.startsWith("/Applications/")) as string;
    expect(chooseChromium(machine([mac], { platform: "darwin", arch: "arm64" }))).toMatchObject({ path: mac });
  });
});
