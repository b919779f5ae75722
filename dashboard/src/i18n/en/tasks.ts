// The task list's texts, and the task form fields the list and the task page share.
import { count, params } from "@nanostores/i18n";
import { i18n } from "../index";

export const tasksPage = i18n("tasks", {
  title: "Tasks",
  refresh: "Refresh",
  newTask: "New task",
  intro: "Every task with its progress; open one for its modules and a board of its sub-tasks.",
  filterTasks: "Filter tasks",
  search: "Search",
  searchPlaceholder: "Name or description",
  status: "Status",
  type: "Type",
  noMatch: "No task matches these filters.",
  noTasks: "No tasks yet.",
  noTasksHint: "Planners create tasks over the agent API, or create one here.",
  colTask: "Task",
  colProgress: "Progress",
  colModules: "Modules",
  colOpen: "Open",
  colOpenSubTasks: "Open sub-tasks",
  colUpdated: "Updated",
  blocked: params("{n} blocked"),
  loading: "Loading tasks…",
  count: count({ one: "{count} task", other: "{count} tasks" }),
  /** The pager's navigation: "Pages of tasks". */
  noun: "tasks",
});

export const taskForm = i18n("tasks/form", {
  name: "Name",
  description: "Description",
  workspace: "Workspace",
  workspaceHint:
    "Where work that spans sub-tasks lives: a folder or repository URL. Empty: agents use the workspace root and the task name.",
  type: "Type",
  startActive: "Start as active (off: the task starts in planning)",
  create: "Create task",
  creating: "Creating…",
  needName: "Give the task a name.",
});
