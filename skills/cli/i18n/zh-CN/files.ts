// `st attach`、`st files`、`st download` 的中文文本。
import type { Catalogue } from "../en/index";

export const files: Catalogue["files"] = {};
