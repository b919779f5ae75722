// Routes of deliverable files on R2 (docs/files.md): changes in file-uploads.ts, reads in file-reads.ts.
import type { App } from "../app";
import { registerFileReadRoutes } from "./file-reads";
import { registerFileUploadRoutes } from "./file-uploads";

export function registerFileRoutes(app: App): void {
  registerFileUploadRoutes(app);
  registerFileReadRoutes(app);
}
