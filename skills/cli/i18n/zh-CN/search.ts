// `search` 的中文文本。
import type { Catalogue } from "../en/index";

export const search: Catalogue["search"] = {
  summary: "搜索团队记忆：过去的反思、交付、阻塞、审查问题、规则、子任务",
  words: "要找的词（中文或英文；最多 200 个字符）",
  kinds: (choices: string) => `只看这些类型，用逗号分隔：${choices}`,
  taskId: "只看这个任务的条目",
  limit: "返回几条（1-50，默认 10）",
  noWords: "请给出要搜索的词",
  tooLong: (max: number) => `搜索词太长：最多 ${max} 个字符`,
  none: "没有匹配。换些词或少用几个词，或去掉 --kinds/--task-id。",
  capped: "匹配的条目多于参与排序的条目：用 --task-id 或 --kinds 缩小范围。",
};
