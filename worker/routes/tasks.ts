import type { App } from "../app";

export function registerTaskRoutes(_app: App) {}
