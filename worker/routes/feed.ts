import type { App } from "../app";

export function registerFeedRoutes(_app: App) {}
