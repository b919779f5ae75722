import type { fileReadHints as english } from "../en/hints-file-reads";

export const fileReadHints: Record<keyof typeof english, string> = {};
