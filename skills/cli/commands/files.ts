// `st attach`, `st files`, `st download`: deliverable files on the server (docs/files.md).
import type { Command } from "../context";

/** Spread into the `st` group's commands (sub-tasks.ts). */
export const FILE_COMMANDS: Command[] = [];
