// A stand-in server on loopback for CLI tests whose answers the real Worker would not give (hostile
// text it now refuses) or whose requests must be counted (where a key is sent), and a copy of the
// built CLI with a given address baked in, as GET /api/tools/cli serves it.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { cliBuild } from "./harness";

export interface Seen {
  method: string;
  path: string;
  /** The query string, with its `?` ("" when none). */
  query: string;
  authorization: string | undefined;
  acceptLanguage: string | undefined;
  /** The request body as sent ("" when none). */
  body: string;
}

export interface Answer {
  status: number;
  /** A value to send as JSON, or a string sent as it is. */
  body: unknown;
  /** Extra response headers, e.g. the Content-Language the server speaks. */
  headers?: Record<string, string>;
}

export interface LocalServer {
  base: string;
  /** Every request received, in order. */
  seen: Seen[];
  close(): Promise<void>;
}

/** Answers each request by "METHOD path", else by its path (without the query); unknown paths get 404. */
export async function localServer(routes: Record<string, Answer>): Promise<LocalServer> {
  const seen: Seen[] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://local");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    seen.push({
      method: req.method ?? "",
      path: url.pathname,
      query: url.search,
      authorization: req.headers.authorization,
      acceptLanguage: req.headers["accept-language"],
      body: Buffer.concat(chunks).toString("utf8"),
    });
    const answer = routes[`${req.method} ${url.pathname}`] ??
      routes[url.pathname] ?? { status: 404, body: { detail: "not found", code: "not_found" } };
    const text = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
    res
      .writeHead(answer.status, {
        "content-type": typeof answer.body === "string" ? "text/plain" : "application/json",
        ...answer.headers,
      })
      .end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The built CLI with `base` (and `lang`, if given) baked in, written to `<folder>/task-cli.mjs`; returns its path. */
export function cliFor(base: string, folder: string, lang?: string): string {
  const file = path.join(folder, "task-cli.mjs");
  mkdirSync(folder, { recursive: true });
  let source = readFileSync(cliBuild, "utf8").replace(JSON.stringify("__OPENMOSS_BASE_URL__"), () =>
    JSON.stringify(base),
  );
  if (lang !== undefined) source = source.replace(JSON.stringify("__OPENMOSS_LANG__"), () => JSON.stringify(lang));
  writeFileSync(file, source, { mode: 0o755 });
  return file;
}
