// Which Chromium the browser suite drives, decided from facts about the machine and nothing else (the
// caller looks at the file system; test/domain/chromium-choice.test.ts feeds it made-up machines).
// Order: CHROMIUM_PATH, then a system Chromium, then the npm package @sparticuz/chromium, whose
// tarball carries a linux x64 build only. No imports: the root tsconfig (no Node types) checks it too.

/** Usual install locations, most common first: Debian, Ubuntu, Google's packages, Snap, macOS. */
export const SYSTEM_CHROMIUMS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/snap/bin/chromium",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

export const CHROMIUM_PACKAGE = "@sparticuz/chromium";

export interface Machine {
  /** The CHROMIUM_PATH environment variable (undefined or empty: not set). */
  chromiumPath: string | undefined;
  /** Whether a path is an executable file. */
  isExecutable: (path: string) => boolean;
  platform: string;
  arch: string;
  /** The installed version of @sparticuz/chromium, null when node_modules lacks it. */
  packageVersion: string | null;
}

export type ChromiumChoice =
  | { source: "CHROMIUM_PATH" | "system"; path: string; why: string }
  | { source: "package"; version: string; why: string }
  | { error: string };

// One line, second after the verdict: npm test's summary quotes the first two lines of a failure.
const HOW_TO_GET_ONE =
  "Get a browser, then run the tests again: `apt-get install chromium` (Debian/Ubuntu), " +
  "`brew install --cask chromium` (macOS), `npm install` (linux x64: brings the devDependency " +
  `${CHROMIUM_PACKAGE}), or \`CHROMIUM_PATH=/path/to/chromium npm test\`.`;

export function chooseChromium(machine: Machine): ChromiumChoice {
  const { chromiumPath, isExecutable, platform, arch, packageVersion } = machine;
  if (chromiumPath) {
    // An explicit choice that does not work is a mistake to report, not a reason to pick another browser.
    if (isExecutable(chromiumPath)) return { source: "CHROMIUM_PATH", path: chromiumPath, why: "CHROMIUM_PATH" };
    return {
      error:
        `CHROMIUM_PATH=${chromiumPath} is not an executable file.\n` +
        "Point it at a Chromium binary, or unset it to use the system's Chromium or the npm package's.",
    };
  }
  const system = SYSTEM_CHROMIUMS.find(isExecutable);
  if (system) return { source: "system", path: system, why: "no CHROMIUM_PATH" };
  const noBrowser = (why: string) =>
    `No Chromium found: no CHROMIUM_PATH, no system Chromium, and ${CHROMIUM_PACKAGE} ${why}.\n${HOW_TO_GET_ONE}\n` +
    `System Chromium looked for at: ${SYSTEM_CHROMIUMS.join(", ")}.`;
  if (platform !== "linux" || arch !== "x64") return { error: noBrowser(`has no build for ${platform} ${arch}`) };
  if (packageVersion === null) return { error: noBrowser("is not installed") };
  return { source: "package", version: packageVersion, why: "no CHROMIUM_PATH, no system Chromium" };
}
