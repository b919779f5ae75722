import type { App } from "../app";

export function registerAdminDashboardRoutes(_app: App) {}
