import type { App } from "../app";

export function registerAdminTaskRoutes(_app: App) {}
