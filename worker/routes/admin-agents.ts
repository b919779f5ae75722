import type { App } from "../app";

export function registerAdminAgentRoutes(_app: App) {}
