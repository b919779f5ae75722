import type { Catalogue } from "../catalogue";

export const prompts: Catalogue["prompts"] = {};
