import type { App } from "../app";

export function registerAdminPromptRoutes(_app: App) {}
