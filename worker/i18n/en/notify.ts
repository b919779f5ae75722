// Notification messages (Feishu, Slack, webhook `text`), in English: the source the other languages
// are typed against. Names arrive as stored, already flattened and cut (domain/notifications.ts);
// each channel escapes the whole text for its format afterwards (domain/outbound-text.ts).
type Actor = { actor: string };
type Review = { round: number | null; score: number | null };

const by = (actor: string) => (actor ? ` by ${actor}` : "");
const score = (value: number | null) => (value !== null ? `, score ${value}` : "");

export const notify = {
  task: (p: { name: string }) => `task "${p.name}"`,
  aTask: "a task",
  /** The sentence subject: a named sub-task of `task` (task or aTask). */
  subTask: (p: { name: string; task: string }) => `Sub-task "${p.name}" of ${p.task}`,
  aSubTask: (p: { task: string }) => `A sub-task of ${p.task}`,
  done: (p: { subTask: string } & Review & Actor) =>
    `${p.subTask} is done${p.round !== null ? ` (approved in review round ${p.round}${score(p.score)}${by(p.actor)})` : p.actor ? ` (completed${by(p.actor)})` : ""}.`,
  rejected: (p: { subTask: string } & Review & Actor) =>
    `${p.subTask} was rejected${p.round !== null ? ` in review round ${p.round}${score(p.score)}` : ""}${by(p.actor)}.`,
  issues: (p: { text: string }) => `Issues: ${p.text}`,
  comment: (p: { text: string }) => `Comment: ${p.text}`,
  allDone: (p: { task: string }) => `All sub-tasks of ${p.task} are done: the task is completed.`,
  patrolAlertBare: "Patrol alert.",
  patrolAbout: (p: { name: string; task: string }) => ` (sub-task "${p.name}" of ${p.task})`,
  patrolAlert: (p: { severity: string; type: string; about: string; description: string }) =>
    `Patrol alert, ${p.severity}: ${p.type}${p.about}: ${p.description}`,
  submitted: (p: { subTask: string } & Actor) => `${p.subTask} was submitted for review${by(p.actor)}.`,
  blocked: (p: { subTask: string } & Actor) => `${p.subTask} was blocked${by(p.actor)}.`,
  test: "Test notification from OpenMOSS Edge: this channel works.",
  /** round_completed: a round of a recurring task ended (its last sub-task done or cancelled). */
  round: (p: { n: number }) => `Round ${p.n}`,
  aRound: "A round",
  roundDone: (p: { round: string; task: string; done: number; total: number }) =>
    `${p.round} of ${p.task} is done (${p.done} of ${p.total} sub-tasks done).`,
  roundCancelled: (p: { round: string; task: string; done: number; total: number }) =>
    `${p.round} of ${p.task} was cancelled (${p.done} of ${p.total} sub-tasks done).`,
  /** retrospective_ready: the team retrospective of a period; `period` is 2026-12-04 or 2026-W49. */
  retroReady: (p: {
    weekly: boolean;
    period: string;
    zone: string;
    done: number;
    rejections: number;
    anomalies: number;
    patterns: number;
  }) =>
    `${p.weekly ? "Weekly" : "Daily"} retrospective for ${p.period} (${p.zone}): sub-tasks done ${p.done}, rejections ${p.rejections}, anomalies ${p.anomalies}, repeated issues ${p.patterns}.`,
  /** Follows retroReady directly (Chinese needs no space after its full stop). */
  retroTop: (p: { sample: string; count: number }) => ` Most frequent: "${p.sample}" ×${p.count}.`,
  /** An event without a message of its own; `subTask` is "" when it names none. */
  other: (p: { event: string; subTask: string }) => `${p.event}${p.subTask ? `: ${p.subTask}` : ""}.`,
  /** The label of the one link a message carries, to our own dashboard. */
  links: {
    subTask: "Open the sub-task",
    task: "Open the task",
    patrol: "Open the patrol page",
    retrospective: "Open the retrospective",
    dashboard: "Open the dashboard",
  },
};
