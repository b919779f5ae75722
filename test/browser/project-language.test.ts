// The project language from the dashboard (issue 17): the setup wizard preselects the dashboard's
// language for agent texts and sends it; Settings → Project changes it; "Switch the shipped texts"
// previews what a switch does (nothing written), then applies it on confirmation.
// Runs its own throw-away Worker (the suite's server is set up in English by dashboard.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCall, type OwnServer, openBrowser, ownServer, type Session, stepsDependOnEachOther } from "./harness";

const PASSWORD = "lang-secret-1";
const setupToken = crypto.randomUUID().replaceAll("-", "");
const hasHan = (text: string) => /\p{Script=Han}/u.test(text);

let s: Session;
let server: OwnServer;
let adminToken = "";
const admin = <T = any>(method: string, path: string, body?: unknown) =>
  apiCall<T>(server.base, method, path, { "x-admin-token": adminToken }, body);
const globalRule = async () =>
  (await admin<{ scope: string; content: string }[]>("GET", "/api/rules/list")).find((r) => r.scope === "global")
    ?.content ?? "";

beforeAll(async () => {
  server = await ownServer("project-language", 8857, setupToken);
  s = await openBrowser();
});
afterAll(async () => {
  await s?.context.close();
  await server?.dispose();
});

describe("project language", () => {
  stepsDependOnEachOther();

  it("sets a Chinese project up from a dashboard shown in Chinese", async () => {
    const { page } = s;
    await page.goto(`${server.base}/login`);
    await page.evaluate("localStorage.setItem('openmoss.lang', 'zh-CN')");
    await page.goto(`${server.base}/setup`);
    await page.getByLabel("初始化令牌").fill(setupToken);
    await page.getByRole("button", { name: "下一步" }).click();
    await page.getByLabel("管理员密码").fill(PASSWORD);
    await page.getByLabel("确认密码").fill(PASSWORD);
    await page.getByRole("button", { name: "下一步" }).click();
    await page.getByLabel("工作目录").fill("/srv/lang");
    // Preselected from the dashboard's language.
    await expect(page.getByRole("radio", { name: "中文" }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole("radio", { name: "English" }).isChecked()).resolves.toBe(false);
    await page.getByRole("button", { name: "下一步" }).click();
    await page.getByRole("button", { name: "开始初始化" }).click();
    await page.getByRole("heading", { name: "初始化完成" }).waitFor();

    adminToken = (await apiCall<{ token: string }>(server.base, "POST", "/api/admin/login", {}, { password: PASSWORD }))
      .token;
    expect((await admin("GET", "/api/admin/config")).project.language).toBe("zh-CN");
    expect(hasHan(await globalRule())).toBe(true);
  });

  it("changes the project language in Settings without rewriting stored texts", async () => {
    const { page } = s;
    await page.evaluate(
      `localStorage.setItem('openmoss.admin_token', ${JSON.stringify(adminToken)}); localStorage.setItem('openmoss.lang', 'en')`,
    );
    await page.goto(`${server.base}/settings`);
    const project = page.locator("#project");
    await expect(project.getByRole("radio", { name: "中文" }).isChecked()).resolves.toBe(true);
    await project.getByRole("radio", { name: "English" }).check();
    await project.getByRole("button", { name: "Save", exact: true }).click();
    await project.getByText("Saved.").waitFor();
    expect((await admin("GET", "/api/admin/config")).project.language).toBe("en");
    expect(hasHan(await globalRule())).toBe(true);
  });

  it("previews the switch of the shipped texts, then applies it on confirmation", async () => {
    const { page } = s;
    const box = page.getByTestId("shipped-texts");
    await box.getByLabel("Switch to").selectOption("en");
    await box.getByRole("button", { name: "Preview" }).click();
    const rows = box.getByTestId("shipped-text-row");
    await rows.first().waitFor();
    // The global rule, the four role templates and the example agents, all still as seeded in Chinese.
    expect(await rows.count()).toBeGreaterThanOrEqual(5);
    await expect(rows.filter({ hasText: "Global rule" }).textContent()).resolves.toContain("Will be replaced");
    expect(hasHan(await globalRule())).toBe(true); // the preview wrote nothing

    const replacing = await rows.filter({ hasText: "Will be replaced" }).count();
    await box.getByRole("button", { name: `Switch ${replacing} texts` }).click();
    await box.getByText(`${replacing} texts switched.`).waitFor();
    await expect(rows.filter({ hasText: "Global rule" }).textContent()).resolves.toContain("Replaced");
    expect(hasHan(await globalRule())).toBe(false);

    // Done: a second preview has nothing left to switch.
    await box.getByRole("button", { name: "Preview" }).click();
    await box.getByText("Nothing to switch").waitFor();
  });
});
