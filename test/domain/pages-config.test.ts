// The dashboard's Pages path without an account: what --api accepts, the CSP the Pages build gets,
// what `npm run deploy:pages` reads from wrangler's output and the next step it prints. The build and
// `wrangler pages dev` themselves run in test/browser/pages-cross-origin.test.ts.
import { describe, expect, it } from "vitest";
import {
  corsOriginsIn,
  corsOriginsNote,
  pagesHeaders,
  parseApiOrigin,
  parseDeployUrl,
  productionOrigin,
} from "../../scripts/lib/pages-config";

const WORKER = "https://openmoss-edge.acme.workers.dev";

describe("--api", () => {
  it("takes an http(s) origin, with or without the trailing slash", () => {
    expect(parseApiOrigin(`${WORKER}/`)).toBe(WORKER);
    expect(parseApiOrigin("http://127.0.0.1:8787")).toBe("http://127.0.0.1:8787");
  });

  it("refuses what the dashboard could not use, saying what to type", () => {
    expect(() => parseApiOrigin(undefined)).toThrow(/--api https:\/\//);
    expect(() => parseApiOrigin("openmoss-edge.acme.workers.dev")).toThrow(/http\(s\) URL/);
    expect(() => parseApiOrigin("ftp://example.com")).toThrow(/http\(s\) URL/);
    expect(() => parseApiOrigin(`${WORKER}/api`)).toThrow(`without a path: ${WORKER}`);
    expect(() => parseApiOrigin(`${WORKER}/?x=1`)).toThrow(/without a path/);
  });
});

describe("the Pages build's headers", () => {
  const headers =
    "/*\n  Content-Security-Policy: default-src 'none'; connect-src 'self'; base-uri 'none'\n  X-Frame-Options: DENY\n";

  it("adds the API's origin and its WebSocket form to connect-src, and nothing else", () => {
    const out = pagesHeaders(headers, WORKER);
    expect(out).toContain(`connect-src 'self' ${WORKER} wss://openmoss-edge.acme.workers.dev;`);
    expect(out.replace(` ${WORKER} wss://openmoss-edge.acme.workers.dev`, "")).toBe(headers);
    expect(pagesHeaders(headers, "http://127.0.0.1:8850")).toContain("ws://127.0.0.1:8850;");
  });

  it("stops the build when the policy no longer reads as expected", () => {
    expect(() => pagesHeaders(headers.replace("connect-src 'self';", ""), WORKER)).toThrow(/_headers/);
  });

  it("matches dashboard/public/_headers as it is", async () => {
    const file = await import("../../dashboard/public/_headers?raw");
    expect(pagesHeaders(file.default, WORKER)).toContain(`connect-src 'self' ${WORKER} `);
  });
});

describe("wrangler's output", () => {
  const list = (rows: object[]) =>
    `[wrangler:warn] something first\n${JSON.stringify(rows, null, 2)}\n🪵  Logs were written to "x.log"\n`;

  it("finds the project's production origin, with the suffix Cloudflare gave it", () => {
    const rows = [
      { "Project Name": "other", "Project Domains": "other.pages.dev" },
      { "Project Name": "openmoss-dashboard", "Project Domains": "openmoss-dashboard-4x2.pages.dev, moss.example.com" },
    ];
    expect(productionOrigin(list(rows), "openmoss-dashboard")).toBe("https://openmoss-dashboard-4x2.pages.dev");
    expect(productionOrigin(list(rows), "missing")).toBeNull();
    expect(productionOrigin(list([]), "openmoss-dashboard")).toBeNull();
  });

  it("takes the deployment's URL from the last line that names one", () => {
    const out =
      "Uploading… (12/12)\n✨ Deployment complete! Take a peek over at https://a1b2c3.openmoss-dashboard.pages.dev\n";
    expect(parseDeployUrl(out)).toBe("https://a1b2c3.openmoss-dashboard.pages.dev");
    expect(parseDeployUrl("no url here")).toBeNull();
  });
});

describe("the next step", () => {
  const SITE = "https://openmoss-dashboard.pages.dev";

  it("prints the CORS_ORIGINS value to set, keeping the origins already listed", () => {
    expect(corsOriginsIn('[vars]\nCORS_ORIGINS = "https://a.example"\n')).toBe("https://a.example");
    const note = corsOriginsNote(SITE, '[vars]\nCORS_ORIGINS = "https://a.example"\n');
    expect(note).toContain(`CORS_ORIGINS = "https://a.example,${SITE}"`);
    expect(note).toContain("npm run deploy");
    expect(corsOriginsNote(SITE, '[vars]\nCORS_ORIGINS = ""\n')).toContain(`CORS_ORIGINS = "${SITE}"`);
  });

  it("says there is nothing to do when the origin is already listed", () => {
    const note = corsOriginsNote(SITE, `[vars]\nCORS_ORIGINS = "https://a.example, ${SITE}"\n`);
    expect(note).toContain("already lists");
    expect(note).not.toContain("npm run deploy");
  });
});
