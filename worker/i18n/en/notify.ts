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
  /** An event without a message of its own; `subTask` is "" when it names none. */
  other: (p: { event: string; subTask: string }) => `${p.event}${p.subTask ? `: ${p.subTask}` : ""}.`,
  /** The label of the one link a message carries, to our own dashboard. */
  links: {
    subTask: "Open the sub-task",
    task: "Open the task",
    patrol: "Open the patrol page",
    dashboard: "Open the dashboard",
  },
};
