import { cli } from "../../domain/cli-command";
import type { searchHints as english } from "../en/hints-search";

export const searchHints: Record<keyof typeof english, string> = {
  empty_query: `请用词语搜索，例如 ${cli('search "登录超时"')}；只有标点和符号什么也找不到。`,
  too_many_terms: `只保留最能说明问题的几个词，例如 ${cli('search "登录超时"')}；用引号括起的短语算作一个词。`,
  unknown_search_kind: `请从说明中列出的类型里选，用逗号分隔，例如 ${cli('search "超时" --kinds reflection,review')}。`,
};
