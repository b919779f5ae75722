import type { roundHints as english } from "../en/hints-rounds";

export const roundHints: Record<keyof typeof english, string> = {};
