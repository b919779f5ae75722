// `st attach`, `st files` and `st download` with the built CLI. The local half first (names made safe,
// which file an argument names, the type by extension, sizes in words). A stand-in server then answers
// what the real Worker would not (a hostile file name, bytes that do not match their SHA-256) and
// shows how errors print; the CLI must never write outside its folder, over a file without --force,
// or a damaged download. The real server runs an executor's round trip: attach, list, download by name
// and by id (bytes and SHA-256 equal), a replacement, the server's limit, and the freeze at submit.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SubTaskFile, SubTaskFileList } from "../../contract/api/files";
import { formatBytes } from "../../contract/byte-size";
import { climbs, safeFileName, transferTimeoutMs, typeOf } from "../../skills/cli/commands/file-io";
import { pickFile } from "../../skills/cli/commands/files";
import { adminSession, createAgent } from "../mcp/world";
import { baseUrl, json, runCli, setupToken } from "./harness";
import { cliFor, type LocalServer, localServer } from "./local-server";

const sha = (bytes: string | Buffer) => createHash("sha256").update(bytes).digest("hex");

const SUB_TASK = "5b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3";
const EMPTY = "6c1d2e3f-4051-4b6c-9d7e-8f90a1b2c3d4";
const fileRow = (extra: Partial<SubTaskFile>): SubTaskFile => ({
  id: "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
  sub_task_id: SUB_TASK,
  task_id: "1a2b3c4d-0000-4000-8000-000000000001",
  version: 0,
  name: "report.md",
  content_type: "text/markdown",
  size: 5,
  sha256: sha("hello"),
  uploaded_by: "9e8d7c6b-0000-4000-8000-000000000002",
  uploaded_by_name: "executor-bo",
  created_at: "2026-12-05T06:00:00.000Z",
  frozen: false,
  download_path: "",
  ...extra,
});

describe("the local half: names, picks, types and sizes", () => {
  it("makes any name one safe segment in the target folder", () => {
    const cases: [string, string][] = [
      ["report.md", "report.md"],
      ["../../etc/passwd", "_.._etc_passwd"],
      ["..", "download"],
      [".bashrc", "bashrc"],
      ["  .hidden  ", "hidden"],
      ['a/b\\c:d*e?f"g<h>i|j', "a_b_c_d_e_f_g_h_i_j"],
      ["evil\u202Etxt.exe", "evil_txt.exe"],
      ["line\nbreak\u0000.txt", "line_break_.txt"],
      ["CON", "_CON"],
      ["nul.txt", "_nul.txt"],
      ["trailing dots...", "trailing dots"],
      ["", "download"],
      ["报告.md", "报告.md"],
    ];
    for (const [name, safe] of cases) expect(safeFileName(name), JSON.stringify(name)).toBe(safe);
    const long = `${"长".repeat(150)}.md`;
    const cut = safeFileName(long);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(200);
    expect(cut.endsWith(".md")).toBe(true);
    for (const name of ["../x", "a/../../b", "..\\x"]) expect(climbs(name), name).toBe(true);
    for (const name of ["out", "./out/", "/tmp/x..y", "..x"]) expect(climbs(name), name).toBe(false);
  });

  it("picks a file by id, by a unique id start or by name (newest version), else nothing", () => {
    const v1 = fileRow({ id: "aaaaaaaa-1111-4000-8000-000000000001", version: 1 });
    const v0 = fileRow({ id: "aaaaaaaa-2222-4000-8000-000000000002", version: 0 });
    const other = fileRow({ id: "bbbbbbbb-3333-4000-8000-000000000003", name: "data.csv" });
    const files = [v1, v0, other];
    expect(pickFile(files, v0.id)).toBe(v0);
    expect(pickFile(files, "BBBBBBBB")).toBe(other);
    expect(pickFile(files, "aaaaaaaa-2")).toBe(v0);
    expect(pickFile(files, "report.md")).toBe(v1);
    expect(pickFile([v0, v1], "report.md")).toBe(v1);
    expect(pickFile(files, "Report.md")).toBeUndefined();
    expect(() => pickFile(files, "aaaaaaaa")).toThrow(/several file ids/);
  });

  it("guesses the type by extension and says sizes in binary units", () => {
    expect([typeOf("a.MD"), typeOf("x.tar.gz"), typeOf("p.jpeg"), typeOf("README"), typeOf("a.svg")]).toEqual([
      "text/markdown",
      "application/gzip",
      "image/jpeg",
      "application/octet-stream",
      "application/octet-stream",
    ]);
    expect([
      formatBytes(0),
      formatBytes(1023),
      formatBytes(1536),
      formatBytes(25 * 1024 * 1024),
      formatBytes(8 * 1024 ** 3),
    ]).toEqual(["0 B", "1023 B", "1.5 KiB", "25 MiB", "8 GiB"]);
    expect(transferTimeoutMs(25 * 1024 * 1024)).toBe(130_000);
  });
});

describe("st files and st download against a stand-in server", () => {
  let tmp = "";
  let work = "";
  let server: LocalServer;
  let cli = "";
  const run = (...args: string[]) => runCli(cli, ["--key", "ak_test", ...args], { cwd: work });
  const files = `/api/sub-tasks/${SUB_TASK}/files`;
  const hostile = fileRow({ id: "cccccccc-0000-4000-8000-00000000000c", name: "../../.bashrc", sha256: sha("evil") });
  const damaged = fileRow({ id: "dddddddd-0000-4000-8000-00000000000d", name: "damaged.txt", sha256: sha("other") });
  const good = fileRow({ frozen: true });
  const list: SubTaskFileList = {
    sub_task_id: SUB_TASK,
    current_version: 1,
    files: [hostile, damaged, good],
    limits: { max_file_bytes: 25 * 1024 * 1024, max_files_per_version: 20 },
  };
  const content = (f: SubTaskFile) => `GET ${files}/${f.id}/content`;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), "openmoss-cli-files-"));
    work = path.join(tmp, "work");
    mkdirSync(work);
    server = await localServer({
      [`GET ${files}`]: { status: 200, body: list },
      [content(hostile)]: { status: 200, body: "evil" },
      [content(damaged)]: { status: 200, body: "not what the list said" },
      [content(good)]: { status: 200, body: "hello" },
      [`GET /api/sub-tasks/${EMPTY}/files`]: {
        status: 200,
        body: { ...list, sub_task_id: EMPTY, current_version: 0, files: [] },
      },
      [`POST ${files}`]: {
        status: 413,
        body: {
          detail: "report.bin is 30 MiB; files may be at most 25 MiB",
          code: "file_too_large",
          hint: "Split it, or compress it.",
        },
      },
    });
    cli = cliFor(server.base, path.join(tmp, "skill"));
  });
  afterAll(async () => {
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("lists one terse line per file under a header with the limits", async () => {
    const r = await run("st", "files", SUB_TASK);
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\n")).toEqual([
      "[3 files; current version 1; up to 25 MiB each, 20 per version]",
      `v0  ../../.bashrc  5 B  text/markdown  sha256:${hostile.sha256.slice(0, 12)}  executor-bo  ID:cccccccc`,
      `v0  damaged.txt  5 B  text/markdown  sha256:${damaged.sha256.slice(0, 12)}  executor-bo  ID:dddddddd`,
      `v0  report.md  5 B  text/markdown  sha256:${good.sha256.slice(0, 12)}  executor-bo  [frozen]  ID:0f1e2d3c`,
      "",
    ]);
  });

  it("says how to attach when there are no files, and how to see all versions when one is empty", async () => {
    expect((await run("st", "files", EMPTY)).stdout).toBe(
      `No files. Attach one with: node task-cli.mjs st attach ${EMPTY} <path>\n`,
    );
    const inVersion = await run("st", "files", EMPTY, "--version", "2");
    expect(inVersion.stdout).toBe(`No files in version 2. All versions: node task-cli.mjs st files ${EMPTY}\n`);
    expect(server.seen.at(-1)!.query).toBe("?version=2");
  });

  it("writes a hostile name as one safe file inside the folder, nowhere else", async () => {
    const r = await run("st", "download", SUB_TASK, hostile.id);
    expect(r.stderr).toBe("");
    expect(readdirSync(work)).toEqual(["_.._.bashrc"]);
    expect(readFileSync(path.join(work, "_.._.bashrc"), "utf8")).toBe("evil");
    expect(readdirSync(tmp).sort()).toEqual(["skill", "work"]);
    expect(r.stdout).toBe(`✅ Downloaded ../../.bashrc (5 B) to ${path.join(work, "_.._.bashrc")}\n`);
    rmSync(path.join(work, "_.._.bashrc"));
  });

  it("refuses a damaged download and leaves nothing behind", async () => {
    const r = await run("--json", "st", "download", SUB_TASK, "damaged.txt");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr)).toMatchObject({ code: "checksum_mismatch" });
    expect(readdirSync(work)).toEqual([]);
  });

  it("does not overwrite a file unless --force, and puts it where --out says", async () => {
    writeFileSync(path.join(work, "report.md"), "mine");
    const refused = await run("st", "download", SUB_TASK, "report.md");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `❌ ${path.join(work, "report.md")} already exists\n→ Give --force to overwrite it, or --out another path.\n`,
    );
    expect(readFileSync(path.join(work, "report.md"), "utf8")).toBe("mine");
    expect((await run("st", "download", SUB_TASK, "report.md", "--force")).code).toBe(0);
    expect(readFileSync(path.join(work, "report.md"), "utf8")).toBe("hello");

    mkdirSync(path.join(work, "out"));
    const intoFolder = json(await run("--json", "st", "download", SUB_TASK, "0f1e2d3c", "--out", "out"));
    expect(intoFolder).toMatchObject({ id: good.id, path: path.join(work, "out", "report.md") });
    expect((await run("st", "download", SUB_TASK, "report.md", "--out", "out/renamed.md")).code).toBe(0);
    expect(readdirSync(path.join(work, "out")).sort()).toEqual(["renamed.md", "report.md"]);
    const noFolder = await run("st", "download", SUB_TASK, "report.md", "--out", "missing/x.md");
    expect([noFolder.code, noFolder.stderr]).toEqual([1, `❌ Folder not found: ${path.join(work, "missing")}\n`]);
  });

  it("refuses --out with '..' before sending anything, and an unknown file by name", async () => {
    const before = server.seen.length;
    const r = await run("st", "download", SUB_TASK, "report.md", "--out", "../escape.md");
    expect([r.code, r.stdout, server.seen.length - before]).toEqual([2, "", 0]);
    expect(r.stderr.split("\n")[0]).toBe(
      "❌ --out: '../escape.md' climbs out of its folder with '..'; give a path without '..'",
    );
    expect(existsSync(path.join(tmp, "escape.md"))).toBe(false);
    const unknown = await run("st", "download", SUB_TASK, "nope.md");
    expect([unknown.code, unknown.stderr]).toEqual([
      1,
      `❌ No file 'nope.md' on this sub-task\n→ See its files with: node task-cli.mjs st files ${SUB_TASK}\n`,
    ]);
  });

  it("prints the server's refusal of an upload with its hint; the body is the file as it is", async () => {
    writeFileSync(path.join(work, "report.bin"), "0123456789");
    const r = await run("st", "attach", SUB_TASK, "report.bin");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "❌ Error (413): report.bin is 30 MiB; files may be at most 25 MiB [file_too_large]\n→ Split it, or compress it.\n",
    );
    const sent = server.seen.at(-1)!;
    expect([sent.method, sent.query, sent.body]).toEqual(["POST", "?name=report.bin", "0123456789"]);
    const missing = await run("st", "attach", SUB_TASK, "nothing-here.txt");
    expect([missing.code, missing.stderr]).toEqual([1, "❌ Cannot read nothing-here.txt: ENOENT\n"]);
    const folder = await run("st", "attach", SUB_TASK, ".");
    expect([folder.code, folder.stderr]).toEqual([1, "❌ . is not a file\n"]);
  });

  it("speaks Chinese when asked: help and messages", async () => {
    const help = await run("--lang", "zh-CN", "st", "download", "--help");
    expect(help.stdout).toContain("用法：node task-cli.mjs st download <id> <file> [options]");
    expect(help.stdout).toContain("--force      覆盖已存在的文件");
    const attachHelp = await run("--lang", "zh-CN", "help", "st", "attach");
    expect(attachHelp.stdout).toContain("把文件附加到你正在做的子任务");
    const empty = await run("--lang", "zh-CN", "st", "files", SUB_TASK);
    expect(empty.stdout.split("\n")[0]).toBe("[共 3 个文件；当前版本 1；每个文件最大 25 MiB，每个版本最多 20 个]");
  });
});

describe("an executor's files against the real server", () => {
  let tmp = "";
  let cli = "";
  const keys = { planner: "", executor: "", reviewer: "" };
  const as = (who: keyof typeof keys, ...args: string[]) => runCli(cli, ["--key", keys[who], ...args], { cwd: tmp });
  /** A refusal by the server: its one-line --json error. */
  async function refused(who: keyof typeof keys, ...args: string[]) {
    const r = await as(who, "--json", ...args);
    expect(r.code, r.stdout).toBe(1);
    return JSON.parse(r.stderr) as { status: number; code: string; detail: string; hint?: string };
  }
  let subTask = "";

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), "openmoss-cli-files-real-"));
    cli = cliFor(baseUrl, path.join(tmp, "skill"));
    const admin = await adminSession(baseUrl, setupToken);
    const tag = Math.random().toString(36).slice(2, 8);
    for (const role of ["planner", "executor", "reviewer"] as const)
      keys[role] = (await createAgent(baseUrl, admin, `files-${role}-${tag}`, role)).api_key;
    const task = json(await as("planner", "--json", "task", "create", "Files round trip"));
    subTask = json(await as("planner", "--json", "st", "create", task.id, "Write the report")).id;
    expect((await as("executor", "st", "claim", subTask)).code).toBe(0);
    expect((await as("executor", "st", "start", subTask, "--session", "files-test")).code).toBe(0);
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("attaches, lists and downloads by name and by id: the same bytes and SHA-256", async () => {
    const bytes = Buffer.from("# Report\n\n结论：一切正常。\n", "utf8");
    writeFileSync(path.join(tmp, "report.md"), bytes);
    const attached = await as("executor", "st", "attach", subTask.slice(0, 8), "report.md");
    expect(attached.stderr).toBe("");
    expect(attached.stdout).toBe(
      `✅ Attached report.md (${bytes.length} B, sha256 ${sha(bytes).slice(0, 12)}…) to ${subTask.slice(0, 8)}, version 0\n` +
        `When done: node task-cli.mjs st submit ${subTask}\n`,
    );
    const listed = json<SubTaskFileList>(await as("reviewer", "--json", "st", "files", subTask));
    expect(listed.files).toHaveLength(1);
    const file = listed.files[0]!;
    expect(file).toMatchObject({ name: "report.md", size: bytes.length, sha256: sha(bytes), version: 0 });
    expect(file.content_type).toMatch(/^text\/markdown/);
    expect((await as("executor", "st", "files", subTask)).stdout).toMatch(
      new RegExp(
        `^\\[1 file; current version 0; up to .* each, \\d+ per version\\]\\nv0  report\\.md  ${bytes.length} B  text/markdown`,
      ),
    );

    mkdirSync(path.join(tmp, "by-name"));
    mkdirSync(path.join(tmp, "by-id"));
    expect((await as("reviewer", "st", "download", subTask, "report.md", "--out", "by-name")).code).toBe(0);
    expect((await as("planner", "st", "download", subTask, file.id.slice(0, 8), "--out", "by-id/copy.md")).code).toBe(
      0,
    );
    for (const copy of ["by-name/report.md", "by-id/copy.md"]) {
      const got = readFileSync(path.join(tmp, copy));
      expect(got.equals(bytes), copy).toBe(true);
      expect(sha(got)).toBe(file.sha256);
    }
  });

  it("replaces a file of the same name in the same version, with the type given", async () => {
    writeFileSync(path.join(tmp, "v2.md"), "second draft");
    const args = ["st", "attach", subTask, "v2.md", "--name", "report.md", "--content-type", "text/plain"];
    expect((await as("executor", ...args)).code).toBe(0);
    const listed = json<SubTaskFileList>(await as("executor", "--json", "st", "files", subTask));
    expect(listed.files.map((f) => [f.name, f.size, f.sha256, f.content_type.split(";")[0]])).toEqual([
      ["report.md", 12, sha("second draft"), "text/plain"],
    ]);
  });

  it("shows the server's limit when a file is too large", async () => {
    const big = path.join(tmp, "big.bin");
    const limit = json<SubTaskFileList>(await as("executor", "--json", "st", "files", subTask)).limits.max_file_bytes;
    writeFileSync(big, Buffer.alloc(limit + 1));
    const r = await as("executor", "st", "attach", subTask, "big.bin");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^❌ Error \(413\): .+ \[file_too_large\]\n→ .+\n$/);
    rmSync(big);
  });

  it("refuses an upload once the sub-task is submitted: the version is frozen", async () => {
    expect((await as("executor", "st", "submit", subTask)).code).toBe(0);
    writeFileSync(path.join(tmp, "late.txt"), "too late");
    const late = await as("executor", "st", "attach", subTask, "late.txt");
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/^❌ Error \(409\): .+\n→ .+\n$/);
    const err = await refused("executor", "st", "attach", subTask, "late.txt");
    expect([err.status, err.code]).toEqual([409, "sub_task_not_in_progress"]);
    const listed = json<SubTaskFileList>(await as("reviewer", "--json", "st", "files", subTask));
    expect(listed.files.map((f) => [f.name, f.frozen])).toEqual([["report.md", true]]);
    expect((await as("reviewer", "st", "files", subTask)).stdout).toContain("  [frozen]  ID:");
  });
});
