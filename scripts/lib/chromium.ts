// Finds the Chromium of the browser suite (the order is chromium-choice.ts's) and, when it is the npm
// package @sparticuz/chromium, unpacks it once per machine into the temp folder. Here rather than in
// test/browser: it needs Node's types, which the root tsconfig (it also checks test/browser) lacks.
import {
  accessSync,
  constants,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { arch, platform, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM_PACKAGE, chooseChromium } from "./chromium-choice.ts";

const packageDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "node_modules",
  ...CHROMIUM_PACKAGE.split("/"),
);

export interface ChromiumFound {
  executablePath: string;
  /** Variables the browser needs on top of the caller's environment (empty for a system Chromium). */
  env: Record<string, string>;
  /** One line for the log: which browser and why. */
  description: string;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function installedPackageVersion(): string | null {
  try {
    return JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")).version;
  } catch {
    return null;
  }
}

/** Throws the chooser's message (how to get a browser) when there is none. */
export async function findChromium(): Promise<ChromiumFound> {
  const choice = chooseChromium({
    chromiumPath: process.env.CHROMIUM_PATH,
    isExecutable,
    platform: platform(),
    arch: arch(),
    packageVersion: installedPackageVersion(),
  });
  if ("error" in choice) throw new Error(choice.error);
  if (choice.source !== "package") {
    return { executablePath: choice.path, env: {}, description: `${choice.path} (${choice.why})` };
  }
  const started = Date.now();
  const { dir, unpacked } = await unpack(choice.version);
  const took = unpacked ? `, unpacked in ${((Date.now() - started) / 1000).toFixed(1)} s` : "";
  return {
    executablePath: path.join(dir, "chromium"),
    env: {
      // The package's own NSS and expat (built for Amazon Linux, linked against libc only): a machine
      // without a system Chromium often lacks them.
      LD_LIBRARY_PATH: [path.join(dir, "al2023", "lib"), process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"),
      FONTCONFIG_FILE: path.join(dir, "fonts.conf"),
      // This build takes its locale from the environment and turns C or POSIX (usual in containers) into
      // navigator.language "en-US@posix", a tag Intl refuses: the overview then fails to render. The tests
      // expect an English browser, as a system Chromium is here.
      LC_ALL: "en_US.UTF-8",
    },
    description: `${CHROMIUM_PACKAGE} ${choice.version} in ${dir} (${choice.why}${took})`,
  };
}

/**
 * Unpacks the package's brotli archives (≈210 MB unpacked) into <tmp>/openmoss-chromium-<version>.
 * The package writes into os.tmpdir(), so TMPDIR points at a private staging folder meanwhile; the
 * folder is renamed into place when complete, so a run killed half-way, or two runs at once, never
 * leave a half-written browser behind for the next run to trust.
 */
async function unpack(version: string): Promise<{ dir: string; unpacked: boolean }> {
  const dir = path.join(tmpdir(), `openmoss-chromium-${version}`);
  if (existsSync(path.join(dir, "chromium"))) return { dir, unpacked: false };
  const staging = mkdtempSync(`${dir}.partial-`);
  const savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    const { default: Chromium, inflate } = await import(CHROMIUM_PACKAGE);
    await Chromium.executablePath();
    // The package unpacks its libraries only on Amazon Linux; they serve any x64 glibc system.
    await inflate(path.join(packageDir, "bin", "al2023.tar.br"));
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  } finally {
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
  }
  // The package's fonts.conf names /tmp/fonts; this one names where the fonts are, plus the system's.
  writeFileSync(
    path.join(staging, "fonts.conf"),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
      `  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n` +
      `  <dir>${path.join(dir, "fonts")}</dir>\n  <cachedir>${path.join(dir, "fonts-cache")}</cachedir>\n</fontconfig>\n`,
  );
  try {
    renameSync(staging, dir);
  } catch {
    // Another run finished first: its copy is complete, ours goes.
    rmSync(staging, { recursive: true, force: true });
  }
  return { dir, unpacked: true };
}
