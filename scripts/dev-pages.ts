// `npm run dev:pages -- [--api http://localhost:8787] [--port 8788]`: the dashboard as Cloudflare
// Pages would serve it, locally: built with the API's origin compiled in (scripts/lib/pages-build.ts)
// and served by `wrangler pages dev` with the Pages configuration, no Worker bindings
// (scripts/lib/pages-dev.ts). The Worker runs apart (`npm start`), on the origin given as --api.
import { parseArgs } from "node:util";
import { buildForPages } from "./lib/pages-build.ts";
import { parseApiOrigin } from "./lib/pages-config.ts";
import { PagesDevServer } from "./lib/pages-dev.ts";

const { values } = parseArgs({
  options: { api: { type: "string", default: "http://localhost:8787" }, port: { type: "string", default: "8788" } },
});

let api: string;
try {
  api = parseApiOrigin(values.api);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65_535) {
  console.error(`--port must be a port number, e.g. --port 8788 (got ${JSON.stringify(values.port)})`);
  process.exit(2);
}

await buildForPages(api);
const server = new PagesDevServer({ port });
/** Stops wrangler and removes its temporary folder, then exits: on Ctrl+C and when wrangler ends by itself. */
const stopAndExit = async (code: number) => {
  await server.stop();
  process.exit(code);
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stopAndExit(0));
const base = await server.start();
console.log(`
  The dashboard (Pages build) is on ${base}; it calls the API at ${api}.
  A Worker on a loopback address (npm start) accepts this origin as it is. Any other Worker needs it
  in CORS_ORIGINS: wrangler.toml → [vars] CORS_ORIGINS = "${base}", then restart it.
  Stop with Ctrl+C.
`);
await stopAndExit(await server.exited());
