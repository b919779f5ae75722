// The paths MCP clients try after a 401, through wrangler dev's assets layer (wrangler.toml
// run_worker_first): the Worker's JSON, never the dashboard's HTML nor the assets' empty 405.
import { describe, expect, it } from "vitest";
import { baseUrl } from "./harness";

describe("OAuth discovery through the assets layer", () => {
  it("/.well-known/* answers a JSON 404 and POST /register the key's 401, as a browser navigation too", async () => {
    // mcp-remote also tries discovery below the endpoint's own path.
    for (const path of [
      "/.well-known/oauth-protected-resource/mcp",
      "/.well-known/oauth-authorization-server",
      "/.well-known/openid-configuration",
      "/mcp/.well-known/openid-configuration",
    ]) {
      const res = await fetch(`${baseUrl}${path}`, { headers: { "sec-fetch-mode": "navigate", accept: "text/html" } });
      expect(res.status, path).toBe(404);
      expect(await res.json(), path).toMatchObject({ code: "not_found" });
    }
    const register = await fetch(`${baseUrl}/register`, {
      method: "POST",
      headers: { authorization: "Bearer ak_wrong", "content-type": "application/json" },
      body: "{}",
    });
    expect(register.status).toBe(401);
    expect(await register.json()).toMatchObject({ detail: "invalid API key" });
  });
});
