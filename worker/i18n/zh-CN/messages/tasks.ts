// 任务与模块相关的拒绝说明。
import type { Messages } from "../../catalogue";
import type { tasks as english } from "../../en/messages/tasks";

export const tasks: Pick<Messages, keyof typeof english> = {
  taskNotFound: (p: { id: string }) => `任务 ${p.id} 不存在`,
  taskGone: "任务不存在",
  taskChanged: "处理请求期间任务被改动了，请重试",
  taskClosedMeanwhile: "处理请求期间任务被关闭了",
  restartOnlyCancelled: (p: { status: string }) => `只有已取消的任务才能重启；它现在是 ${p.status}`,
  cancelledTaskMoves: "已取消的任务只能重启（planning、active）或归档",
  taskHasOpenSubTasks: (p: { count: number }) => `任务还有 ${p.count} 个未关闭的子任务；请先完成或取消它们`,
  taskNotEditable: (p: { status: string }) => `任务只能在 planning 或 active 状态下修改；它现在是 ${p.status}`,
  taskIsClosed: (p: { status: string }) => `任务的状态是 ${p.status}`,
  taskNotCancellable: (p: { status: string }) => `${p.status} 状态的任务不能取消`,
  confirmTaskName: "confirm_name 必须与任务名称完全一致",
  subTasksInFlight: "有智能体正持有这个任务的子任务（assigned、in_progress、review、rework 或 blocked）；请先取消任务",
  moduleNotFound: (p: { id: string }) => `模块 ${p.id} 不存在`,
  moduleOtherTask: "该模块属于另一个任务",
  giveTaskFields: "请提供 name、description 或 workspace",
  giveSubTaskFields: "请至少提供一个要修改的字段",
};
