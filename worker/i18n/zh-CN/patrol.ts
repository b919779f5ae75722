import type { Catalogue } from "../catalogue";

export const patrol: Catalogue["patrol"] = {};
