import type { recurringHints as english } from "../en/hints-recurring";

export const recurringHints: Record<keyof typeof english, string> = {};
