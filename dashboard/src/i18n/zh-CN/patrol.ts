import type { patrolPage, resolveRecord } from "../en/patrol";
import type { TranslationOf } from "../index";

export default {
  patrol: {
    title: "巡查",
    refresh: "刷新",
    intro: "巡查发现的异常：超时、停滞或无人负责的子任务、反复返工，以及积分骤降。",
    tabsLabel: "记录状态",
    loading: "正在加载巡查记录…",
    noneOpen: "没有待处理的异常，一切正常。",
    noneResolved: "没有已解决的记录。",
    noneIgnored: "没有已忽略的记录。",
    listOpen: "待处理的巡查记录",
    listResolved: "已解决的巡查记录",
    listIgnored: "已忽略的巡查记录",
    subTaskFallback: "子任务 {id}",
    agentFallback: "智能体 {id}",
    resolve: "处理",
    actionTaken: "已采取的措施：{action}",
    filedByAgent: "由巡查智能体上报",
    foundByServer: "由服务器定时巡查发现",
    firstSeen: "首次发现：{when}",
    lastSeen: "最近发现：{when}",
    resolvedAt: "解决：{when}",
    note: "处理说明：{note}",
    pagerNoun: "巡查记录",
    total: { other: "共 {count} 条记录" },
  } satisfies TranslationOf<typeof patrolPage>,
  "patrol/resolve": {
    title: "处理异常：{type}",
    note: "处理说明",
    noteHint: "说明做了什么处理（可选）。",
    submit: "标记为已解决",
    busy: "提交中…",
  } satisfies TranslationOf<typeof resolveRecord>,
};
