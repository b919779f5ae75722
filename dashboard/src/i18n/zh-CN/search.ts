import type { searchPage } from "../en/search";
import type { TranslationOf } from "../index";

export default {
  search: {
    title: "搜索",
    intro: "团队记忆：反思、交付、阻塞、规划、复盘心得、审查问题、规则和子任务描述，最相关的在前。支持中文和英文。",
    filterLabel: "搜索团队记忆",
    query: "关键词",
    queryPlaceholder: "例如：超时 重试",
    kinds: "类型",
    task: "任务",
    allTasks: "全部任务",
    loading: "正在搜索…",
    prompt: "输入关键词来搜索团队记忆。",
    noMatch: "没有与这些词匹配的内容。",
    noMatchHint: "换些词或少用几个词，或清除类型和任务筛选。",
    failed: "搜索被拒绝",
    resultsLabel: "搜索结果",
    found: { other: "{count} 条结果" },
    capped: "匹配的条目多于参与排序的条目：多加几个词或按任务筛选来缩小范围。",
    openSubTask: "子任务 {name}",
    openTask: "打开任务",
  } satisfies TranslationOf<typeof searchPage>,
};
