// Every page of the admin dashboard, in navigation order.
export interface NavItem {
  path: string;
  label: string;
  /** Other path prefixes that belong to this item (a sub-task page sits under Tasks). */
  also?: string[];
}

export const NAV: NavItem[] = [
  { path: "/overview", label: "Overview" },
  { path: "/tasks", label: "Tasks", also: ["/sub-tasks"] },
  { path: "/agents", label: "Agents" },
  { path: "/scores", label: "Scores" },
  { path: "/reviews", label: "Reviews" },
  { path: "/logs", label: "Logs" },
  { path: "/feed", label: "Feed" },
  { path: "/patrol", label: "Patrol" },
  { path: "/prompts", label: "Prompts & Rules" },
  { path: "/settings", label: "Settings" },
];

/** Whether the page at `path` belongs to a navigation item. */
export const isCurrent = (item: NavItem, path: string): boolean =>
  [item.path, ...(item.also ?? [])].some((p) => path === p || path.startsWith(`${p}/`));
