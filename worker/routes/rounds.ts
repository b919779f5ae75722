// Routes of a recurring task's rounds: list them, start one now (docs/recurring.md).
import type { App } from "../app";

export function registerRoundRoutes(_app: App): void {}
