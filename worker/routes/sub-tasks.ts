import type { App } from "../app";

export function registerSubTaskRoutes(_app: App) {}
