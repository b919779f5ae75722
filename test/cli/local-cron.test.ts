// `npm start`'s local cron (scripts/lib/cron-ticker.ts): the flag that turns it off, the deployed
// cron expression, and the ticker against a real local HTTP server standing in for wrangler dev's
// /__scheduled hook.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { cronExpression, parseStartArgs, startCronTicker, waitUntilUp } from "../../scripts/lib/cron-ticker.ts";

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** A server answering each request with the next status of `statuses` (then 200), recording the URLs. */
async function hook(statuses: number[]): Promise<{ base: string; urls: string[]; next: (n: number) => Promise<void> }> {
  const urls: string[] = [];
  const waiters: { n: number; done: () => void }[] = [];
  server = createServer((req, res) => {
    res.statusCode = statuses.shift() ?? 200;
    res.end(res.statusCode === 200 ? "Ran scheduled event" : "Error: cron steps failed: patrol\n    at onCron");
    urls.push(req.url!);
    for (const w of waiters.filter((w) => urls.length >= w.n)) w.done();
  });
  await new Promise<void>((done) => server!.listen(0, "127.0.0.1", done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const next = (n: number) => new Promise<void>((done) => (urls.length >= n ? done() : waiters.push({ n, done })));
  return { base, urls, next };
}

describe("npm start's local cron", () => {
  it("is on by default; --no-cron turns it off and is not passed on to wrangler", () => {
    expect(parseStartArgs(["--port", "9000"])).toEqual({ cron: true, wranglerArgs: ["--port", "9000"] });
    expect(parseStartArgs(["--port", "9000", "--no-cron", "--persist-to", "/tmp/x"])).toEqual({
      cron: false,
      wranglerArgs: ["--port", "9000", "--persist-to", "/tmp/x"],
    });
  });

  it("fires the deployed cron expression from wrangler.toml", () => {
    expect(cronExpression()).toBe("* * * * *");
    expect(cronExpression('[triggers]\ncrons = ["*/5 * * * *", "0 0 * * *"]\n')).toBe("*/5 * * * *");
    expect(() => cronExpression("name = 'x'")).toThrow(/crons/);
  });

  it("ticks each interval against /__scheduled, silent on success, one line per failed tick, until stopped", async () => {
    const { base, urls, next } = await hook([200, 500, 200]);
    expect(await waitUntilUp(base, { pollMs: 10 })).toBe(true);
    urls.length = 0; // the readiness probe
    const lines: string[] = [];
    const ticker = startCronTicker({
      baseUrl: base,
      cron: "* * * * *",
      intervalMs: 30,
      log: (l: string) => lines.push(l),
    });
    await next(3);
    ticker.stop();
    expect(urls.slice(0, 3)).toEqual(Array(3).fill("/__scheduled?cron=*%20*%20*%20*%20*"));
    expect(lines).toEqual(["local cron: 500 Error: cron steps failed: patrol"]);
  });

  it("says so in one line when the server cannot be reached, and gives up waiting when wrangler exits", async () => {
    const lines: string[] = [];
    const refused = "http://127.0.0.1:9"; // discard port: nothing listens
    const ticker = startCronTicker({
      baseUrl: refused,
      cron: "* * * * *",
      intervalMs: 20,
      log: (l: string) => lines.push(l),
    });
    await new Promise<void>((done) => {
      const check = setInterval(() => {
        if (lines.length === 0) return;
        clearInterval(check);
        done();
      }, 5);
    });
    ticker.stop();
    expect(lines[0]).toMatch(/^local cron: /);
    expect(await waitUntilUp(refused, { alive: () => false })).toBe(false);
  });
});
