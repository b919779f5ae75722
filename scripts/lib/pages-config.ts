// The rules of the dashboard's Pages path, pure (tested in test/domain/pages-config.test.ts): what
// `--api` may be, how the build's CSP admits the API, what `npm run deploy:pages` reads from
// wrangler's output and the next step it prints.

/**
 * The Worker's origin from what the user typed (`--api`): an http(s) URL without a path, as the
 * dashboard appends /api/… to it and CORS compares origins. Throws a message that says what to type.
 */
export function parseApiOrigin(raw: string | undefined): string {
  const example = "--api https://openmoss-edge.<account>.workers.dev";
  if (!raw) throw new Error(`Give the Worker's URL: ${example}`);
  const url = URL.parse(raw);
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:"))
    throw new Error(`--api must be the Worker's http(s) URL, e.g. ${example} (got ${JSON.stringify(raw)})`);
  if (url.pathname !== "/" || url.search || url.hash || url.username || url.password)
    throw new Error(`--api takes the Worker's origin only, without a path: ${url.origin} (got ${JSON.stringify(raw)})`);
  return url.origin;
}

/** The same origin for the live socket (ws: for http:, wss: for https:), which connect-src lists apart. */
const socketOrigin = (apiOrigin: string) => apiOrigin.replace(/^http/, "ws");

const SELF_ONLY = "connect-src 'self';";

/**
 * dashboard/public/_headers allows fetch() to its own origin only; on Pages the API is elsewhere, so
 * its origin (and its WebSocket form) joins connect-src. Nothing else in the policy changes.
 */
export function pagesHeaders(headers: string, apiOrigin: string): string {
  if (!headers.includes(SELF_ONLY))
    throw new Error(`dashboard/public/_headers no longer has "${SELF_ONLY}": update scripts/lib/pages-config.ts`);
  return headers.replace(SELF_ONLY, `connect-src 'self' ${apiOrigin} ${socketOrigin(apiOrigin)};`);
}

/**
 * The production origin of `project` from `wrangler pages project list --json` (its *.pages.dev
 * domain: Cloudflare may add a suffix when the plain name is taken), or null when the account has no
 * such project. Anything wrangler logs around the JSON array is skipped.
 */
export function productionOrigin(listOutput: string, project: string): string | null {
  // The array is pretty-printed: it starts on a line of its own ("[" or "[]"); log lines such as
  // "[wrangler:warn] …" that may come before it do not.
  const start = listOutput.search(/^\[\s*$|^\[\]/m);
  const end = listOutput.lastIndexOf("]");
  if (start === -1 || end < start) return null;
  const rows = JSON.parse(listOutput.slice(start, end + 1)) as {
    "Project Name"?: string;
    "Project Domains"?: string;
  }[];
  const row = rows.find((r) => r["Project Name"] === project);
  if (!row) return null;
  const domains = (row["Project Domains"] ?? "").split(",").map((d) => d.trim());
  const pagesDev = domains.find((d) => d.endsWith(".pages.dev")) ?? `${project}.pages.dev`;
  return `https://${pagesDev}`;
}

/** The URL of this one deployment, as `wrangler pages deploy` prints it at the end. */
export function parseDeployUrl(deployOutput: string): string | null {
  const urls = deployOutput.match(/https:\/\/[a-z0-9.-]+\.pages\.dev\b/g);
  return urls?.at(-1) ?? null;
}

/** The CORS_ORIGINS value in a wrangler.toml's [vars] (empty when it has none). */
export function corsOriginsIn(toml: string): string {
  return /^\s*CORS_ORIGINS\s*=\s*"([^"]*)"/m.exec(toml)?.[1] ?? "";
}

/** The next step after a deploy: the Worker must list the site's origin in CORS_ORIGINS. */
export function corsOriginsNote(siteOrigin: string, toml: string): string {
  const current = corsOriginsIn(toml);
  const list = current
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  if (list.includes(siteOrigin))
    return `  The Worker's CORS_ORIGINS already lists ${siteOrigin}: nothing more to do.\n`;
  const value = [...list, siteOrigin].join(",");
  return `  Next: let this site call the API. In wrangler.toml, under [vars]:
    CORS_ORIGINS = "${value}"
  then redeploy the Worker:  npm run deploy
  Until then the Worker answers the site's requests with 403 origin_not_allowed.
`;
}
