import type { fileHints as english } from "../en/hints-files";

export const fileHints: Record<keyof typeof english, string> = {};
