// The CLI's HTTP layer against a scripted local server: retries keep the Idempotency-Key, errors
// become `{status, detail, code}`, non-JSON bodies are handled.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, CliError } from "../../skills/cli/errors";
import { Api } from "../../skills/cli/http";

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** A server answering each request with the next scripted answer; returns its base URL and the requests seen. */
async function scripted(answers: Answer[]): Promise<{ base: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  server = createServer((req, res) => {
    seen.push(req);
    const answer = answers[Math.min(seen.length - 1, answers.length - 1)]!;
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers }).end(answer.body);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { base: `http://127.0.0.1:${port}`, seen };
}

const NO_WAIT = [1, 1];

describe("Api", () => {
  it("retries a 503 with the same Idempotency-Key and sends the bearer key", async () => {
    const { base, seen } = await scripted([
      { status: 503, body: "busy" },
      { status: 200, body: '{"ok":true}' },
    ]);
    expect(await new Api(base, "ak_test", NO_WAIT).post("/api/x", { a: 1 })).toEqual({ ok: true });
    expect(seen).toHaveLength(2);
    const keys = seen.map((r) => r.headers["idempotency-key"]);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(seen[0]!.headers.authorization).toBe("Bearer ak_test");
  });

  it("gives up after three attempts and reports the last answer; GET sends no Idempotency-Key", async () => {
    const { base, seen } = await scripted([{ status: 502, body: '{"detail":"bad gateway","code":"upstream"}' }]);
    const err = await new Api(base, "k", NO_WAIT).get("/api/x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 502, detail: "bad gateway", code: "upstream" });
    expect(seen).toHaveLength(3);
    expect(seen[0]!.headers["idempotency-key"]).toBeUndefined();
  });

  it("does not retry other errors, and copes with non-JSON bodies", async () => {
    const { base, seen } = await scripted([{ status: 409, body: "<html>conflict</html>" }]);
    const err = await new Api(base, "k", NO_WAIT).post("/api/x").catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 409, detail: "<html>conflict</html>", code: "" });
    expect((err as Error).message).toBe("❌ Error (409): <html>conflict</html>");
    expect(seen).toHaveLength(1);
  });

  it("waits out a short Retry-After of a 429 and retries with the same key; a long one is the error", async () => {
    const limited = (seconds: number) => ({
      status: 429,
      headers: { "retry-after": String(seconds) },
      body: JSON.stringify({
        detail: `too many requests: this agent may send 600 per minute, 120 at once; retry in ${seconds} s`,
        code: "rate_limited",
      }),
    });
    const short = await scripted([limited(1), { status: 200, body: '{"ok":true}' }]);
    const startedAt = Date.now();
    expect(await new Api(short.base, "k", NO_WAIT).post("/api/x", {})).toEqual({ ok: true });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(950);
    expect(short.seen).toHaveLength(2);
    expect(short.seen[1]!.headers["idempotency-key"]).toBe(short.seen[0]!.headers["idempotency-key"]);
    await new Promise<void>((resolve) => server!.close(() => resolve()));

    const long = await scripted([limited(30)]);
    const err = await new Api(long.base, "k", NO_WAIT).get("/api/x").catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, code: "rate_limited", detail: expect.stringContaining("retry in 30 s") });
    expect((err as Error).message).toContain("retry in 30 s");
    expect(long.seen).toHaveLength(1);
  });

  it("reports a non-JSON success and a refused connection as CLI errors", async () => {
    const { base } = await scripted([{ status: 200, body: "not json" }]);
    await expect(new Api(base, "k", NO_WAIT).get("/api/x")).rejects.toThrow(/not JSON: not json/);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const err = await new Api(base, "k", NO_WAIT).get("/api/x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as Error).message).toContain(`Cannot connect to ${base}`);
  });
});
