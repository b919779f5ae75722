// `search` 的中文文本。
import type { Catalogue } from "../en/index";

export const search: Catalogue["search"] = {};
