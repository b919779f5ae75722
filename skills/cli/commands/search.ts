// `search`: the team memory (docs/search.md).
import type { Command } from "../context";

/** Listed by index.ts after `retro`. */
export const SEARCH_COMMANDS: Command[] = [];
