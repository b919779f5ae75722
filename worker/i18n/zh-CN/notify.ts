import type { Catalogue } from "../catalogue";

export const notify: Catalogue["notify"] = {};
