// The team memory search: GET /api/search (docs/search.md).
import type { App } from "../app";

export function registerSearchRoutes(_app: App): void {}
