// 周期任务相关错误码的默认提示（调度计划、轮次），合并进 hints.ts。
import { cli } from "../../domain/cli-command";
import type { recurringHints as english } from "../en/hints-recurring";

export const recurringHints: Record<keyof typeof english, string> = {
  invalid_schedule: `修正调度计划后重新发送，例如 ${cli('task schedule <task_id> --cron "0 9 * * *" --tz Asia/Shanghai --from-sub-tasks')}。`,
  invalid_template: `按 detail 修正模板；或先手工规划一轮，再用 ${cli("task schedule <task_id> --cron EXPR --from-sub-tasks")}。`,
  schedule_not_found: `用 ${cli("task schedule <task_id> --cron EXPR --from-sub-tasks")} 设置调度计划。`,
  schedule_no_run_left: `用更晚的 --ends-at 或更大的 --max-rounds 重新设置：${cli("task schedule <task_id> --cron EXPR --from-sub-tasks")}。`,
};
