import type { retroHints as english } from "../en/hints-retros";

export const retroHints: Record<keyof typeof english, string> = {};
