// The notification events, beside the vocabulary in a module of their own: the dashboard's settings page is
// their only reader there, and a separate module keeps them out of every page's shared vocabulary chunk.
/** Events the server itself delivers to notification channels. */
export const NOTIFICATION_EVENTS = [
  "task_completed",
  "review_rejected",
  "all_done",
  "patrol_alert",
  "sub_task_submitted",
  "sub_task_blocked",
  // Ours: a round of a recurring task finished (the task itself stays open), a retrospective is ready.
  "round_completed",
  "retrospective_ready",
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];
