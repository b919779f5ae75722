import type { App } from "../app";

export function registerLogRoutes(_app: App) {}
