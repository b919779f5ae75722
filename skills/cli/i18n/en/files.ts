// English texts of `st attach`, `st files` and `st download` (commands/files.ts).
export const files = {
  attach: "Attach a file to a sub-task you are working on (same name in the same version replaces it) [executor]",
  list: "List a sub-task's files, newest version first",
  download: "Download a sub-task's file (checked against its SHA-256)",
  path: "the file to upload",
  name: "the name to store it under (default: the file's own name)",
  type: "its content type (default: guessed from the extension, else application/octet-stream)",
  version: "only this version (0 = the first submission, 1 = the first rework…)",
  file: "the file: its id (or 8+ characters of it) or its exact name",
  out: "where to write it: a file path, or an existing folder (default: ./<name>)",
  force: "overwrite an existing file",
  frozen: "[frozen]",
  current: (version: number) => `current version ${version}`,
  header: (count: number, current: string, maxBytes: string, maxFiles: number) =>
    `[${count} file${count === 1 ? "" : "s"}; ${current}; up to ${maxBytes} each, ${maxFiles} per version]`,
  none: (attach: string) => `No files. Attach one with: ${attach}`,
  noneInVersion: (version: number, list: string) => `No files in version ${version}. All versions: ${list}`,
  attached: (name: string, size: string, sha: string, subTask: string, version: number) =>
    `✅ Attached ${name} (${size}, sha256 ${sha}…) to ${subTask}, version ${version}`,
  whenDone: (submit: string) => `When done: ${submit}`,
  downloaded: (name: string, size: string, path: string) => `✅ Downloaded ${name} (${size}) to ${path}`,
  unreadable: (path: string, reason: string) => `❌ Cannot read ${path}: ${reason}`,
  notAFile: (path: string) => `❌ ${path} is not a file`,
  notFound: (file: string) => `❌ No file '${file}' on this sub-task`,
  listThem: (command: string) => `See its files with: ${command}`,
  severalIds: (prefix: string, ids: string) => `❌ '${prefix}' is the start of several file ids: ${ids}`,
  outClimbs: (out: string) => `--out: '${out}' climbs out of its folder with '..'; give a path without '..'`,
  outFolderMissing: (folder: string) => `❌ Folder not found: ${folder}`,
  exists: (path: string) => `❌ ${path} already exists`,
  forceOrOut: "Give --force to overwrite it, or --out another path.",
  cannotWrite: (path: string, reason: string) => `❌ Cannot write ${path}: ${reason}`,
  checksumMismatch: (name: string, expected: string, got: string) =>
    `❌ ${name} arrived damaged: SHA-256 ${got}, expected ${expected}; nothing was written`,
  tryAgain: "Download it again; if it keeps failing, tell the admin.",
  interrupted: (name: string, reason: string) =>
    `❌ The download of ${name} broke off (${reason}); nothing was written`,
};
