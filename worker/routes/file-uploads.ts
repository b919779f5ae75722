// Routes that change deliverable files: upload (a streamed body, not JSON) and delete (docs/files.md).
import type { App } from "../app";

export function registerFileUploadRoutes(_app: App): void {}
