// Routes of retrospectives: list, read, generate on demand, turn a finding into a rule (docs/retrospectives.md).
import type { App } from "../app";

export function registerRetrospectiveRoutes(_app: App): void {}
