// 团队记忆搜索相关的拒绝说明与回答。
import type { Messages } from "../../catalogue";
import type { search as english } from "../../en/messages/search";

export const search: Pick<Messages, keyof typeof english> = {
  emptyQuery: "查询中没有可搜索的词：至少需要一个字母、数字或汉字",
  tooManyTerms: (p) => `查询有 ${p.count} 个词，最多 ${p.max} 个（每个词都必须匹配，少而精的词反而能找到更多）`,
  unknownSearchKind: (p) => `${p.field ? `${p.field}：` : ""}“${p.kind}”不是搜索条目的类型；可用的类型有 ${p.kinds}`,
};
