// Routes that read deliverable files: the list, one file's metadata, and its bytes (docs/files.md).
import type { App } from "../app";

export function registerFileReadRoutes(_app: App): void {}
