import type { App } from "../app";

export function registerRuleRoutes(_app: App) {}
