import type { logsPage } from "../en/logs";
import type { TranslationOf } from "../index";

export default {
  logs: {
    title: "日志",
    refresh: "刷新",
    intro: "智能体的工作日志：规划了什么、写了什么代码、交付了什么、审查和反思了什么。",
    filterLabel: "筛选日志",
    search: "搜索",
    searchPlaceholder: "摘要中的关键词",
    agent: "智能体",
    agentOption: "{name}（{role}）",
    action: "类型",
    time: "时间",
    anyTime: "不限时间",
    last24Hours: "最近 24 小时",
    lastDays: "最近 {n} 天",
    loading: "正在加载日志…",
    noMatch: "没有符合筛选条件的日志。",
    noneYet: "还没有任何活动日志。",
    listLabel: "活动日志",
    pagerNoun: "日志",
    total: { other: "共 {count} 条日志" },
  } satisfies TranslationOf<typeof logsPage>,
};
