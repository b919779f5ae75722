// Every page of the admin dashboard, in navigation order.
import type { nav } from "../i18n/en/shell";

export interface NavItem {
  path: string;
  /** Its label's key in the shell's navigation texts. */
  label: keyof ReturnType<typeof nav.get>;
  /** Other path prefixes that belong to this item (a sub-task page sits under Tasks). */
  also?: string[];
}

export const NAV: NavItem[] = [
  { path: "/overview", label: "overview" },
  { path: "/tasks", label: "tasks", also: ["/sub-tasks"] },
  { path: "/agents", label: "agents" },
  { path: "/scores", label: "scores" },
  { path: "/reviews", label: "reviews" },
  { path: "/logs", label: "logs" },
  { path: "/feed", label: "feed" },
  { path: "/patrol", label: "patrol" },
  { path: "/retrospectives", label: "retrospectives" },
  { path: "/search", label: "search" },
  { path: "/prompts", label: "prompts" },
  { path: "/settings", label: "settings" },
];

/** Whether the page at `path` belongs to a navigation item. */
export const isCurrent = (item: NavItem, path: string): boolean =>
  [item.path, ...(item.also ?? [])].some((p) => path === p || path.startsWith(`${p}/`));
