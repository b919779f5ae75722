// The pieces of the cross-origin Pages test (pages-cross-origin.test.ts): a Worker of its own that
// lists the site's origin in CORS_ORIGINS, the Pages build served by `wrangler pages dev` on another
// port (scripts/lib/pages-build.ts, pages-dev.ts), and a browser that reaches that site under a
// name that is not loopback, so the Worker's "any loopback origin" rule (worker/lib/cors.ts) cannot
// be what lets it in.
// Free of node:* imports, like harness.ts: the root tsconfig also checks this folder.

/** The site's host name; the browser resolves it to 127.0.0.1 (RESOLVE_PAGES_HOST). */
export const PAGES_HOST = "dashboard.test";
/** The Chromium flag that maps PAGES_HOST to this machine. */
export const RESOLVE_PAGES_HOST = `--host-resolver-rules=MAP ${PAGES_HOST} 127.0.0.1`;

/** Node-only modules, loaded at run time: the root tsconfig checks this folder without Node's types. */
const load = (relative: string): Promise<any> =>
  import(/* @vite-ignore */ new URL(relative, (import.meta as unknown as { url: string }).url).href);
const loadNode = (specifier: string): Promise<any> => import(/* @vite-ignore */ specifier);

export interface CrossOriginSetup {
  /** The Worker's origin (the API). */
  api: string;
  /** The site's origin as the browser sees it: http://dashboard.test:<port>. */
  site: string;
  /** Stops both servers and removes their state. */
  dispose(): Promise<void>;
}

/**
 * Picks both ports first (the Worker must know the site's origin, the build the Worker's), then
 * starts the Worker and builds and serves the site side by side. Ports: 8850+ and 8860+ (this
 * file's range, apart from the other suites').
 */
export async function startCrossOrigin(setupToken: string): Promise<CrossOriginSetup> {
  const [{ DevServer, applyMigrations }, { freePort }, { buildForPages }, { PagesDevServer }, fs, os, path] =
    await Promise.all([
      load("../../scripts/lib/dev-server.ts"),
      load("../../scripts/lib/free-port.ts"),
      load("../../scripts/lib/pages-build.ts"),
      load("../../scripts/lib/pages-dev.ts"),
      loadNode("node:fs"),
      loadNode("node:os"),
      loadNode("node:path"),
    ]);
  const workerPort: number = await freePort(8850);
  const pagesPort: number = await freePort(8860);
  const api = `http://127.0.0.1:${workerPort}`;
  const site = `http://${PAGES_HOST}:${pagesPort}`;

  const tmp: string = fs.mkdtempSync(path.join(os.tmpdir(), "openmoss-pages-"));
  const logFile = path.join(tmp, "wrangler.log");
  const persistTo = path.join(tmp, "state");
  const worker = new DevServer({
    persistTo,
    envFile: path.join(tmp, "env"),
    logFile,
    setupToken,
    port: workerPort,
    extraArgs: ["--var", `CORS_ORIGINS:${site}`],
  });
  const pages = new PagesDevServer({ port: pagesPort, logFile: path.join(tmp, "pages.log") });
  const dispose = async () => {
    await Promise.all([worker.stop(), pages.stop()]);
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const [workerBase, pagesBase] = await Promise.all([
      applyMigrations(persistTo, logFile).then(() => worker.start()),
      buildForPages(api, { quiet: true }).then(() => pages.start()),
    ]);
    // Each origin is compiled into the other side: a port that moved would break the pair.
    if (workerBase !== api || new URL(pagesBase).port !== String(pagesPort))
      throw new Error(`a port was taken meanwhile: Worker ${workerBase} (wanted ${api}), Pages ${pagesBase}`);
  } catch (err) {
    await dispose();
    throw err;
  }
  return { api, site, dispose };
}
