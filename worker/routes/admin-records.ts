import type { App } from "../app";

export function registerAdminRecordRoutes(_app: App) {}
