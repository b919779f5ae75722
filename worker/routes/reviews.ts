import type { App } from "../app";

export function registerReviewRoutes(_app: App) {}
