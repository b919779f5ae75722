import { cli } from "../../domain/cli-command";
import type { roundHints as english } from "../en/hints-rounds";

export const roundHints: Record<keyof typeof english, string> = {
  task_not_started: `先激活任务：${cli("task status <task_id> active")}；之后各轮次按调度计划开始。`,
  round_limit: `用 ${cli("task rounds <task_id> --status open")} 查看未完成的轮次；有空位后，下一个计划时间点会开始新的一轮。`,
};
