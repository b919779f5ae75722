import type { Catalogue } from "../catalogue";

export const mcp: Catalogue["mcp"] = {};
