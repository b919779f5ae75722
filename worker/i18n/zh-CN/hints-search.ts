import type { searchHints as english } from "../en/hints-search";

export const searchHints: Record<keyof typeof english, string> = {};
