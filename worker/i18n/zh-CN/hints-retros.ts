import { cli } from "../../domain/cli-command";
import type { retroHints as english } from "../en/hints-retros";

export const retroHints: Record<keyof typeof english, string> = {
  retrospective_not_found: `${cli("retro list")} 列出你能读的复盘。`,
  retro_period_not_started: `换一个已经开始的日期：${cli("retro run --date <YYYY-MM-DD>")}。`,
  finding_not_found: `${cli("retro show <id>")} 列出它的发现及其 id。`,
  finding_already_ruled: `无需再做什么；${cli("rules --task-id <task_id>")} 显示生效中的规则。`,
  retro_log_target: `只指明复盘即可：${cli('log create retro "<what you take from it>" --retro <id>')}。`,
  retrospective_id_needs_retro: `把它写成 retro 日志：${cli('log create retro "<what you take from it>" --retro <id>')}。`,
};
