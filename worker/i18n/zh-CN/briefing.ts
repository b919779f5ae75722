import type { Catalogue } from "../catalogue";

export const briefing: Catalogue["briefing"] = {};
