import type { App } from "../app";

export function registerScoreRoutes(_app: App) {}
