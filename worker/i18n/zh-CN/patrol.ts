// 巡查定时任务写入的异常记录描述。记录会被保存，所以按写入时的项目语言只写一次；name 已带引号，status 是机器值。
import type { Catalogue } from "../catalogue";

export const patrol: Catalogue["patrol"] = {
  minutes: (p) => `${p.minutes} 分钟`,
  timeoutCritical: (p) => `${p.name} 已进行 ${p.running}（超过 ${p.limit} 分钟即为严重）；已阻塞`,
  timeoutWarning: (p) => `${p.name} 已进行 ${p.running}（超过 ${p.limit} 分钟即告警）`,
  stuck: (p) => `${p.name}（${p.status}）已有 ${p.idle} 没有变化`,
  holderDeleted: (p) => `${p.name}（${p.status}）分配给了一个已删除的智能体`,
  holderDisabled: (p) => `${p.name}（${p.status}）分配给了一个已停用的智能体`,
  unclaimed: (p) => `${p.name} 已可领取 ${p.waiting}，仍没有执行者领取`,
  reworkOverflow: (p) => `${p.name} 已被打回 ${p.count} 次`,
  scoreDrop: (p) => `${p.name} 连续 ${p.streak} 次被扣分`,
  blocked: "已阻塞",
  notBlocked: (p) => `未能阻塞：${p.code}`,
  escalated: "已升级为严重",
  cleared: "情况已消除",
};
