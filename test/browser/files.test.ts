// Deliverable files in the dashboard (issue 19): an executor working on a sub-task attaches a text
// file (with markup in it), a PNG, an SVG carrying a script, an HTML page and a 295 KiB log through the
// agent API; the admin's sub-task page lists them under their version. The text previews as text (the
// markup shown, not run), the log its first 256 KiB only, the PNG as an <img> that decoded; the SVG and
// the HTML have no preview and download as attachments; no script of theirs ever runs. The text file
// downloads byte for byte. Settings → Files sets the limits in MiB and the card names them. In zh-CN
// the card and the settings read Chinese. Runs its own throw-away Worker, so other files' data does
// not matter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiCall,
  initializeOwnServer,
  type OwnServer,
  openBrowser,
  ownServer,
  type Session,
  snap,
  stepsDependOnEachOther,
} from "./harness";

const PASSWORD = "files-secret-1";
const setupToken = crypto.randomUUID().replaceAll("-", "");
const registrationToken = crypto.randomUUID().replaceAll("-", "");

/** A 1×1 PNG, valid to its CRCs. */
const PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);
const TEXT = 'Findings 结论\n<script>window.__pwned = "text"</script>\n<img src=x onerror="window.__pwned=1">\n';
const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=\'svg\'"><script>window.__pwned = "svg"</script></svg>';
const HTML = '<!doctype html><script>window.__pwned = "html"; alert("pwned")</script><h1>hi</h1>';
const encode = (text: string) => new Uint8Array(new TextEncoder().encode(text));
/** Over the 256 KiB a text preview shows, with a 3-byte character across that cut. */
const LOG_HEAD = "a".repeat(256 * 1024 - 2);
const LOG = `${LOG_HEAD}结${"b".repeat(40_000)}`;

let s: Session;
let server: OwnServer;
let subTaskId = "";
let adminToken = "";
/** Dialogs (alert, confirm) the page opened: a script of a file would open one. */
const dialogs: string[] = [];

beforeAll(async () => {
  server = await ownServer("files", 8967, setupToken);
  adminToken = await initializeOwnServer(server, { setupToken, password: PASSWORD, registrationToken, label: "files" });
  const register = async (name: string, role: string) => {
    const agent = await apiCall<{ api_key: string }>(
      server.base,
      "POST",
      "/api/agents/register",
      { "x-registration-token": registrationToken },
      { name, role, description: `${role} of the files story` },
    );
    return { authorization: `Bearer ${agent.api_key}` };
  };
  const planner = await register("planner-fay", "planner");
  const executor = await register("executor-gus", "executor");
  const task = await apiCall<{ id: string }>(server.base, "POST", "/api/tasks", planner, {
    name: "Quarterly report",
    description: "write it",
    type: "once",
  });
  subTaskId = (
    await apiCall<{ id: string }>(server.base, "POST", "/api/sub-tasks", planner, {
      task_id: task.id,
      name: "Draft the report",
      description: "a draft with a chart",
      deliverable: "report files",
      acceptance: "reviewed",
      priority: "medium",
      type: "once",
    })
  ).id;
  await apiCall(server.base, "POST", `/api/sub-tasks/${subTaskId}/claim`, executor, {});
  await apiCall(server.base, "POST", `/api/sub-tasks/${subTaskId}/start`, executor, { session_id: "files-story" });
  const upload = async (name: string, type: string, bytes: Uint8Array<ArrayBuffer>) => {
    const res = await fetch(`${server.base}/api/sub-tasks/${subTaskId}/files?name=${encodeURIComponent(name)}`, {
      method: "POST",
      headers: { ...executor, "content-type": type },
      body: bytes,
    });
    if (res.status !== 201) throw new Error(`upload ${name} → ${res.status} ${await res.text()}`);
  };
  await upload("notes.txt", "text/plain; charset=utf-8", encode(TEXT));
  await upload("pixel.png", "image/png", PNG);
  await upload("evil.svg", "image/svg+xml", encode(SVG));
  await upload("page.html", "text/html", encode(HTML));
  await upload("run.log", "text/plain", encode(LOG));

  s = await openBrowser();
  s.page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await s.page.goto(`${server.base}/login`);
  await s.page.evaluate(
    `localStorage.setItem('openmoss.admin_token', ${JSON.stringify(adminToken)}); localStorage.setItem('openmoss.lang', 'en')`,
  );
});

afterAll(async () => {
  await s?.context.close();
  await server?.dispose();
});

/** Whether any file's script ran on the dashboard's origin. */
const pwned = () => s.page.evaluate("window.__pwned ?? null");

describe("a sub-task's files in the dashboard", () => {
  stepsDependOnEachOther();

  it("lists the five files under version 0, with sizes, types and the uploader", async () => {
    const { page } = s;
    await page.goto(`${server.base}/sub-tasks/${subTaskId}`);
    const card = page.getByTestId("files-card");
    await card.getByRole("heading", { name: /^Files/ }).waitFor();
    await expect.poll(() => card.locator("tr[data-file-id]").count()).toBe(5);
    expect(
      await card.locator("tr[data-file-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-name"))),
    ).toEqual(expect.arrayContaining(["notes.txt", "pixel.png", "evil.svg", "page.html"]));
    const version = card.locator(".files-version");
    expect(await version.getAttribute("data-version")).toBe("0");
    await version.getByText("Version 0", { exact: false }).waitFor();
    const png = card.locator('tr[data-name="pixel.png"]');
    expect(await png.locator("td").nth(1).textContent()).toBe(`${PNG.length} B`);
    expect(await png.locator("td").nth(2).textContent()).toBe("image/png");
    expect(await png.locator("td").nth(3).textContent()).toBe("executor-gus");
    // Active types are never kept as such.
    for (const name of ["evil.svg", "page.html"])
      expect(await card.locator(`tr[data-name="${name}"] td`).nth(2).textContent()).toBe("application/octet-stream");
    await snap(page, "files-card");
  });

  it("previews the text file as text: its markup is shown, not run", async () => {
    const { page } = s;
    await page.getByRole("button", { name: "Preview notes.txt" }).click();
    const preview = page.getByTestId("file-preview");
    await preview.locator("pre").waitFor();
    expect(await preview.locator("pre").textContent()).toBe(TEXT);
    expect(await preview.locator("img, script").count()).toBe(0);
    expect(await pwned()).toBeNull();
    await page.getByRole("button", { name: "Close", exact: true }).click();
    await preview.waitFor({ state: "detached" });
  });

  it("previews only the first 256 KiB of a larger text, cut before a split character", async () => {
    const { page } = s;
    await page.getByRole("button", { name: "Preview run.log" }).click();
    const preview = page.getByTestId("file-preview");
    await preview.locator("pre").waitFor();
    await preview.getByText("Showing the first 256 KiB of 295 KiB. Download the file for all of it.").waitFor();
    const shown = (await preview.locator("pre").textContent()) ?? "";
    expect([shown.length, shown === LOG_HEAD, shown.includes("\uFFFD")]).toEqual([LOG_HEAD.length, true, false]);
    await page.getByRole("button", { name: "Close", exact: true }).click();
    await preview.waitFor({ state: "detached" });
  });

  it("previews the PNG in an <img> from an object URL, decoded", async () => {
    const { page } = s;
    await page.getByRole("button", { name: "Preview pixel.png" }).click();
    const img = page.getByTestId("file-preview").getByRole("img", { name: "Image file pixel.png" });
    await img.waitFor();
    expect(await img.getAttribute("src")).toMatch(/^blob:/);
    await expect
      .poll(() =>
        img.evaluate((el) => {
          const image = el as unknown as { complete: boolean; naturalWidth: number; naturalHeight: number };
          return [image.complete, image.naturalWidth, image.naturalHeight];
        }),
      )
      .toEqual([true, 1, 1]);
    const url = (await img.getAttribute("src"))!;
    /** Whether the object URL still loads as an image (img-src allows blob:, connect-src does not). */
    const loads = () =>
      page.evaluate(
        `new Promise((done) => { const i = new Image(); i.onload = () => done("loaded"); i.onerror = () => done("revoked"); i.src = ${JSON.stringify(url)}; })`,
      );
    expect(await loads()).toBe("loaded");
    await page.getByRole("button", { name: "Close", exact: true }).click();
    await page.getByTestId("file-preview").waitFor({ state: "detached" });
    // Revoked on close: the bytes do not outlive the preview (the probe's failed load is logged: expected).
    s.allow.push(/Failed to load resource: net::ERR_FILE_NOT_FOUND/);
    expect(await loads()).toBe("revoked");
  });

  it("offers no preview of the SVG or the HTML; they download as attachments and never run", async () => {
    const { page } = s;
    for (const name of ["evil.svg", "page.html"]) {
      expect(await page.getByRole("button", { name: `Preview ${name}` }).count()).toBe(0);
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: `Download ${name}` }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(name);
    }
    expect(await pwned()).toBeNull();
    expect(dialogs).toEqual([]);
    expect(new URL(page.url()).pathname).toBe(`/sub-tasks/${subTaskId}`);
  });

  it("downloads the text file byte for byte", async () => {
    const { page } = s;
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download notes.txt" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("notes.txt");
    const chunks: Uint8Array[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Uint8Array);
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    expect([...bytes]).toEqual([...encode(TEXT)]);
  });

  it("sets the limits in Settings → Files, in MiB; the card then names them", async () => {
    const { page } = s;
    await page.goto(`${server.base}/settings#files`);
    const form = page.getByTestId("settings-files");
    const largest = form.getByLabel("Largest file (MiB)");
    expect(await largest.inputValue()).toBe("25");
    expect(await form.getByLabel("All files together (GiB)").inputValue()).toBe("8");
    await largest.fill("0");
    await form.getByRole("button", { name: "Save" }).click();
    await form.getByText("Largest file (MiB) must be a number from 0.01 to 100.").waitFor();
    await largest.fill("2.5");
    await form.getByLabel("Files per version").fill("5");
    await form.getByRole("button", { name: "Save" }).click();
    await form.getByText("Saved.").waitFor();
    const config = await apiCall(server.base, "GET", "/api/admin/config", { "x-admin-token": adminToken });
    expect(config.files).toEqual({
      max_file_bytes: 2.5 * 1024 * 1024,
      max_files_per_version: 5,
      max_total_bytes: 8 * 1024 ** 3,
    });
    await page.goto(`${server.base}/sub-tasks/${subTaskId}`);
    await page.getByText("Up to 2.5 MiB per file and 5 files per version.").waitFor();
  });

  it("reads Chinese in zh-CN", async () => {
    const { page } = s;
    await page.evaluate("localStorage.setItem('openmoss.lang', 'zh-CN')");
    await page.reload();
    const card = page.getByTestId("files-card");
    await card.getByRole("heading", { name: /^文件/ }).waitFor();
    await card.getByText("版本 0", { exact: false }).waitFor();
    await page.getByRole("button", { name: "预览 notes.txt" }).waitFor();
    await page.getByRole("button", { name: "下载 page.html" }).waitFor();
    await page.goto(`${server.base}/settings#files`);
    await page.getByTestId("settings-files").getByLabel("单个文件上限（MiB）").waitFor();
    expect(s.errors).toEqual([]);
  });
});
