// `st attach`, `st files`, `st download`: deliverable files on the server (docs/files.md).
// attach streams the file (never whole in memory) with its SHA-256, which the server checks; download
// streams into a temporary file next to the target, checks the SHA-256 the list gave, and only then
// puts it in place, so a damaged or broken-off download leaves nothing behind.
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, linkSync, renameSync, statSync, unlinkSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import type { SubTaskFile, SubTaskFileList } from "../../../contract/api/files";
import { formatBytes } from "../../../contract/byte-size";
import { type FlagSpec, type PositionalSpec, UsageError } from "../args";
import type { Command, Ctx } from "../context";
import { CliError } from "../errors";
import { PROG } from "../help";
import { t } from "../i18n/index";
import { print, shortId } from "../output";
import { climbs, safeFileName, sha256File, transferTimeoutMs, typeOf } from "./file-io";
import { seg } from "./shared";

const ID: PositionalSpec = { name: "id", help: (m) => m.st.id, id: "sub_task" };
const VERSION: FlagSpec = { name: "version", metavar: "N", int: true, min: 0, help: (m) => m.files.version };
/** How many hex characters of a SHA-256 a line shows: enough to compare by eye. */
const SHA_SHOWN = 12;

const filesPath = (c: Ctx, suffix = "") => `/api/sub-tasks/${seg(c.arg("id"))}/files${suffix}`;
const command = (...words: string[]) => [PROG, ...words].join(" ");

/** The local file to upload: a regular file, else a message saying what is wrong with the path. */
function localFile(file: string): number {
  const m = t().files;
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new CliError(m.notAFile(file), "not_a_file");
    size = stat.size;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(m.unreadable(file, (err as NodeJS.ErrnoException).code ?? String(err)), "file_unreadable");
  }
  return size;
}

/** One line of `st files`: version, name, size, type, SHA-256 start, uploader, frozen marker, short id. */
const fileLine = (f: SubTaskFile) =>
  [
    `v${f.version}`,
    f.name,
    formatBytes(f.size),
    f.content_type,
    `sha256:${f.sha256.slice(0, SHA_SHOWN)}`,
    f.uploaded_by_name || shortId(f.uploaded_by),
    ...(f.frozen ? [t().files.frozen] : []),
    `ID:${shortId(f.id)}`,
  ].join("  ");

/**
 * The file a `<file>` argument names in the list: its id, a unique start of its id (8+ characters),
 * or its exact name (the newest version holding that name; the list is newest first).
 */
export function pickFile(files: readonly SubTaskFile[], wanted: string): SubTaskFile | undefined {
  const lower = wanted.toLowerCase();
  const byId = files.find((f) => f.id === lower);
  if (byId) return byId;
  if (/^[0-9a-f-]{8,36}$/.test(lower)) {
    const starts = files.filter((f) => f.id.startsWith(lower));
    if (starts.length > 1)
      throw new CliError(t().files.severalIds(wanted, starts.map((f) => f.id).join(", ")), "ambiguous_id");
    if (starts.length === 1) return starts[0];
  }
  return files.filter((f) => f.name === wanted).sort((a, b) => b.version - a.version)[0];
}

/** Where the download goes: `--out` (a file path, or a folder the safe name goes into), else ./<safe name>. */
function targetPath(out: string | undefined, name: string): string {
  if (out === undefined) return path.resolve(safeFileName(name));
  const resolved = path.resolve(out);
  const isDir = (() => {
    try {
      return statSync(resolved).isDirectory();
    } catch {
      return false;
    }
  })();
  if (isDir || /[/\\]$/.test(out)) return path.join(resolved, safeFileName(name));
  return resolved;
}

const exists = (file: string) => {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
};

/** Streams the answer into a new file `temp` while hashing it; the SHA-256 of what was written. */
async function saveStream(res: Response, temp: string): Promise<string> {
  const hash = createHash("sha256");
  const body = res.body ? Readable.fromWeb(res.body as NodeWebStream<Uint8Array>) : Readable.from([]);
  await pipeline(
    body,
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        hash.update(chunk);
        yield chunk;
      }
    },
    // "wx": a new file, never one (or a link) already there.
    createWriteStream(temp, { flags: "wx", mode: 0o644 }),
  );
  return hash.digest("hex");
}

/** Puts the checked temporary file in place: never over an existing file unless `force`. */
function putInPlace(temp: string, target: string, force: boolean): void {
  if (force) {
    renameSync(temp, target);
    return;
  }
  // A hard link fails when the target exists, so a file that appeared meanwhile is not overwritten.
  try {
    linkSync(temp, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new CliError(t().files.exists(target), "file_exists", t().files.forceOrOut);
    // A file system without hard links: the check before the download stands.
    if (exists(target)) throw new CliError(t().files.exists(target), "file_exists", t().files.forceOrOut);
    renameSync(temp, target);
    return;
  }
  unlinkSync(temp);
}

const removeQuietly = (file: string) => {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
};

export const FILE_COMMANDS: Command[] = [
  {
    name: "attach",
    summary: (m) => m.files.attach,
    positionals: [ID, { name: "path", help: (m) => m.files.path }],
    flags: [
      { name: "name", metavar: "NAME", help: (m) => m.files.name },
      // Not `--type`: that name is an enum everywhere else (once/recurring); this is a free media type.
      { name: "content-type", metavar: "TYPE", help: (m) => m.files.type },
    ],
    async run(c) {
      const file = c.arg("path");
      const size = localFile(file);
      const name = c.str("name") ?? path.basename(file);
      const sha256 = await sha256File(file);
      const stored = await c.api.upload<SubTaskFile>(
        filesPath(c),
        { name },
        {
          open: () => Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array>,
          headers: {
            "content-type": c.str("content-type") ?? typeOf(name),
            "content-length": String(size),
            "x-content-sha256": sha256,
          },
          timeoutMs: transferTimeoutMs(size),
        },
      );
      c.show(stored, () =>
        print(
          t().files.attached(
            stored.name,
            formatBytes(stored.size),
            stored.sha256.slice(0, SHA_SHOWN),
            shortId(stored.sub_task_id),
            stored.version,
          ),
          t().files.whenDone(command("st", "submit", stored.sub_task_id)),
        ),
      );
    },
  },
  {
    name: "files",
    summary: (m) => m.files.list,
    positionals: [ID],
    flags: [VERSION],
    async run(c) {
      const version = c.int("version");
      const list = await c.api.get<SubTaskFileList>(filesPath(c), { version });
      c.show(list, () => {
        const m = t().files;
        if (list.files.length === 0) {
          const id = c.arg("id");
          return print(
            version === undefined
              ? m.none(command("st", "attach", id, "<path>"))
              : m.noneInVersion(version, command("st", "files", id)),
          );
        }
        const { max_file_bytes, max_files_per_version } = list.limits;
        const current = m.current(list.current_version);
        print(m.header(list.files.length, current, formatBytes(max_file_bytes), max_files_per_version));
        print(...list.files.map(fileLine));
      });
    },
  },
  {
    name: "download",
    summary: (m) => m.files.download,
    positionals: [ID, { name: "file", help: (m) => m.files.file }],
    flags: [
      { name: "out", metavar: "PATH", help: (m) => m.files.out },
      VERSION,
      { name: "force", switch: true, help: (m) => m.files.force },
    ],
    async run(c) {
      const m = t().files;
      const out = c.str("out");
      if (out !== undefined && climbs(out)) throw new UsageError(m.outClimbs(out), ["st", "download"]);
      const list = await c.api.get<SubTaskFileList>(filesPath(c), { version: c.int("version") });
      const wanted = c.arg("file");
      const file = pickFile(list.files, wanted);
      if (!file)
        throw new CliError(m.notFound(wanted), "file_not_found", m.listThem(command("st", "files", c.arg("id"))));
      const force = c.str("force") !== undefined;
      const target = targetPath(out, file.name);
      if (!exists(path.dirname(target)))
        throw new CliError(m.outFolderMissing(path.dirname(target)), "folder_not_found");
      if (!force && exists(target)) throw new CliError(m.exists(target), "file_exists", m.forceOrOut);

      const res = await c.api.stream(filesPath(c, `/${seg(file.id)}/content`), transferTimeoutMs(file.size));
      // Hidden, unique and in the target's folder: the rename at the end stays on one file system.
      const temp = path.join(path.dirname(target), `.${randomUUID()}.part`);
      try {
        let got: string;
        try {
          got = await saveStream(res, temp);
        } catch (err) {
          const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
          if (!exists(temp) || (err as NodeJS.ErrnoException).syscall === "open")
            throw new CliError(m.cannotWrite(target, reason), "cannot_write");
          throw new CliError(m.interrupted(file.name, reason), "download_interrupted", m.tryAgain);
        }
        if (got !== file.sha256)
          throw new CliError(m.checksumMismatch(file.name, file.sha256, got), "checksum_mismatch", m.tryAgain);
        putInPlace(temp, target, force);
      } finally {
        removeQuietly(temp);
      }
      c.show({ ...file, path: target }, () => print(m.downloaded(file.name, formatBytes(file.size), target)));
    },
  },
];
