// The task page's texts: header, facts, modules, the sub-task board and the task's dialogs.
import { params } from "@nanostores/i18n";
import { i18n } from "../index";

export const taskPage = i18n("task", {
  tasks: "Tasks",
  fallbackTitle: "Task",
  loadFailed: "This task could not be loaded",
  loading: "Loading the task…",
  newSubTask: "New sub-task",
  edit: "Edit",
  cancelTask: "Cancel task",
  restart: "Restart",
  delete: "Delete",
  /** `{status}` is the status pill, `{type}` the task type's label, `{time}` a relative time. */
  summary: "{status} {type} task · updated {time}",
  about: "About this task",
  noDescription: "No description.",
  progress: "Progress",
  subTasks: "Sub-tasks",
  inProgress: "In progress",
  inReview: "In review",
  blocked: "Blocked",
  rework: "Rework",
  created: "Created",
  workspace: "Workspace",
  noneSet: "none set",
  cancelTitle: "Cancel this task?",
  cancelBody: params(
    "Every open sub-task of “{name}” is cancelled with it. A cancelled task can be restarted; its cancelled sub-tasks stay cancelled.",
  ),
  restartTitle: "Restart this task?",
  restartBody: "The task becomes active again. Its cancelled sub-tasks stay cancelled; add new ones as needed.",
  deleteTitle: "Delete this task?",
  deleteTask: "Delete task",
  deleteBody: params(
    "This removes the task, its {modules} modules and {subTasks} sub-tasks with their history, reviews, rules and patrol records. Scores earned on it are reversed. It is refused while agents hold its sub-tasks: cancel the task first.",
  ),
});

export const taskBoard = i18n("task/board", {
  modules: "Modules",
  showAllModules: "Show all modules",
  loadingModules: "Loading modules…",
  noModules: "No modules: the sub-tasks are not grouped.",
  filterByModule: "Filter the board by module",
  moduleDone: params("{done}/{total} done"),
  subTasks: "Sub-tasks",
  updatesPaused: params("Updates paused: {message}"),
  refresh: "Refresh",
  loadingSubTasks: "Loading sub-tasks…",
  moduleEmpty: "This module has no sub-tasks.",
  noSubTasks: "No sub-tasks yet.",
  noSubTasksHint: "Planners add them over the agent API, or use “New sub-task”.",
  showingRecent: params(
    "Showing the {shown} most recently updated of {total} sub-tasks. Pick a module above to narrow the board.",
  ),
  column: params("{status}: {n}"),
  none: "None",
  unassigned: "unassigned",
  rework: params("rework {n}"),
});

export const taskDialogs = i18n("task/dialogs", {
  editTitle: "Edit task",
  newSubTask: "New sub-task",
  module: "Module",
  noModule: "No module",
  assignTo: "Assign to",
  nobody: "Nobody (pending, any executor may claim it)",
  createSubTask: "Create sub-task",
  creating: "Creating…",
  needName: "Give the sub-task a name.",
});
