// 简报的下一步（next_steps），中文。命令和名字由调用方拼好传入，这里只负责行文。
// 附加在步骤后的片段（工作区、规则、审查意见）不带前导空格：中文句号后不空格。
import type { Catalogue } from "../catalogue";

export const briefing: Catalogue["briefing"] = {
  sharedWorkspace: (p) => `共享工作区：${p.workspace}。`,
  rulesSent: "该任务有专属规则，见本简报的 rules。",
  rulesToRead: (p) => `该任务有专属规则，先用 ${p.command} 读一遍。`,

  updateFirst: (p) => `先更新 CLI 和技能：${p.command}。`,
  reflect: (p) => `你被扣了 ${p.points} 分（原因：${p.reason}）。查清原因并写下教训：${p.command}。`,
  rework: (p) => `返工 ${p.name}（第 ${p.round} 轮）：${p.start}，按审查意见修改，然后 ${p.submit}。`,
  reviewersIssues: (p) => `审查者指出的问题：${p.issues}。`,
  continueWork: (p) => `继续 ${p.name}（验收标准见 ${p.get}）；完成后先 ${p.deliver}，再 ${p.submit}。`,
  fixIssues: (p) => `先修复审查指出的问题：${p.issues}。`,
  start: (p) => `开始 ${p.name}：${p.command}。`,
  myBlocked: (p) => `${p.name} 已阻塞，下一步由规划者决定。把你掌握的情况补充进去：${p.command}。`,
  claim: (p) => `领取 ${p.name}：${p.claim}，然后 ${p.start}。`,
  lessons: (p) => `读一读 lessons 中 ${p.count} 条类似工作的经验（引用的反思和审查问题）；想看更多：${p.command}。`,
  previousRound: (p) => `；第 ${p.round} 轮结果 ${p.result} ${p.score}/5${p.issues ? `：${p.issues}` : ""}`,
  review: (p) =>
    `审查 ${p.name}（第 ${p.round} 轮${p.previous}）：先看 ${p.get} 和 ${p.logs}，再 ${p.approve} 或 ${p.reject}。`,
  unblock: (p) =>
    `处理阻塞的 ${p.name}：先看 ${p.logs}，再 ${p.reassign}（ID 见 ${p.agents}）或 ${p.cancel}，并记录理由：${p.record}。`,
  split: (p) => `把 ${p.name} 拆成子任务：${p.create}（不依赖其他子任务时去掉 --depends-on），然后 ${p.activate}。`,
  closingReport: (p) => `${p.name} 已完成：先看交付物（${p.list}），再写收尾报告：${p.report}。`,

  retroOwn: (p) => `你 ${p.period} 的复盘在本次简报里（retrospective，只出现一次）：读完后写下你的收获：${p.command}。`,
  retroFindings: (p) =>
    `团队 ${p.period} 的复盘在本次简报里（retrospective，只出现一次），有 ${p.count} 个重复出现的问题（${p.ids}）。把其中一个变成任务规则：${p.command}。`,
  retroTeam: (p) =>
    `团队 ${p.period} 的复盘在本次简报里（retrospective，只出现一次），没有发现重复出现的问题。之后可用 ${p.command} 再看。`,

  subTaskSubject: (p) => `子任务 ${p.id}`,
  agentSubject: (p) => `智能体 ${p.id}`,
  heldBy: (p) => `（由 ${p.name} 持有）`,
  blockedNow: (p) => `${p.subject} 已阻塞，交由规划者决定：用 ${p.resolve} 关闭你的记录。`,
  keepsLosingPoints: "持续被扣分",
  openRecord: (p) => `有一条未关闭的 ${p.type} 记录`,
  agentRecord: (p) => `${p.who} ${p.what}：查看 ${p.logs}，把发现记下来：${p.report}`,
  mayBeStuck: (p) => `${p.subject}${p.holder} 可能卡住了：查看 ${p.logs}；若一直没有进展，${p.block}`,
  unclaimed: (p) => `${p.subject} 无人领取：用 ${p.agents} 看看执行者，并通知规划者：${p.report}`,
  noActiveHolder: (p) => `${p.subject}${p.holder} 没有在岗的持有者：${p.block}，让规划者重新分配`,
  keepsFailingReview: (p) => `${p.subject}${p.holder} 反复审查不通过：查看 ${p.reviews}；若难以收敛，${p.block}`,
  otherRecord: (p) => `${p.subject}${p.holder} 有一条 ${p.severity} 级的 ${p.type} 记录：查看 ${p.logs}`,
  thenResolve: (p) => `，然后 ${p.resolve}`,
  serverCloses: "（情况消除后服务器会自动关闭这条记录）",
  patrolStep: (p) => `${p.action}${p.close}。`,

  taskRules: (p) => `**任务 ${p.name} 的规则**（ID:${p.id}）`,
  subTaskRules: (p) => `**子任务 ${p.name} 的规则**（ID:${p.id}）`,

  cliUpdate: {
    oneStep: (p) =>
      [
        `Task CLI 已有新版本 ${p.latest}。一条命令即可更新：`,
        "",
        p.update,
        "",
        "也可以自己下载这两个文件，覆盖旧文件：",
        "",
        p.downloads,
      ].join("\n"),
    fromPython: (p) =>
      [
        `Task CLI 已有新版本 ${p.latest}。新版是一个 Node.js 程序（Node 18 或更高），文件名为`,
        `${p.cliFile}：不要运行你当前 CLI 的 update 命令（它会覆盖你的 Python 文件）。`,
        "请把新 CLI 和你的技能文件下载到旧文件旁边：",
        "",
        p.downloads,
        "",
        `之后每次运行开始时执行 \`${p.briefing}\`。`,
      ].join("\n"),
    notice: (p) =>
      [
        "## ⚠️ 工具更新通知",
        "",
        `你的 task CLI 比本服务器分发的版本（${p.latest}）旧。`,
        "请立即下载最新的 CLI 和技能文件，覆盖现有的副本：",
        "",
        "```bash",
        p.downloads,
        "```",
        "",
        "新 CLI（Node.js 18 或更高）带有 `update` 命令，以后更新只需一步：",
        `\`${p.update}\`。`,
      ].join("\n"),
  },
};
