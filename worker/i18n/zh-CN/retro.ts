// 复盘的文字：生成时按当时的项目语言渲染一次并保存（worker/domain/retro-text.ts）。
import type { Catalogue } from "../catalogue";

export const retro: Catalogue["retro"] = {};
