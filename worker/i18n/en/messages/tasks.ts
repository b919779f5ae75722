// Texts of task and module refusals: the task's lifecycle (domain/task-lifecycle.ts), its writes and
// deletion (db/tasks.ts, db/task-deletion.ts, db/modules.ts) and the admin's task and module pages.
export const tasks = {
  taskNotFound: (p: { id: string }) => `task ${p.id} does not exist`,
  taskGone: "task does not exist",
  taskChanged: "the task changed while this request ran; retry",
  taskClosedMeanwhile: "the task was closed while this request ran",
  restartOnlyCancelled: (p: { status: string }) => `only a cancelled task can be restarted; it is ${p.status}`,
  cancelledTaskMoves: "a cancelled task can only be restarted (planning, active) or archived",
  taskHasOpenSubTasks: (p: { count: number }) =>
    `the task still has ${p.count} open sub-task(s); finish or cancel them first`,
  taskNotEditable: (p: { status: string }) => `a task can be edited only while planning or active; it is ${p.status}`,
  taskIsClosed: (p: { status: string }) => `the task is ${p.status}`,
  taskNotCancellable: (p: { status: string }) => `a ${p.status} task cannot be cancelled`,
  confirmTaskName: "confirm_name must equal the task's name",
  subTasksInFlight:
    "agents hold sub-tasks of this task (assigned, in progress, in review, rework or blocked); cancel the task first",
  moduleNotFound: (p: { id: string }) => `module ${p.id} does not exist`,
  moduleOtherTask: "the module belongs to another task",
  giveTaskFields: "give name, description or workspace",
  giveSubTaskFields: "give at least one field to change",
};
