// The texts of a retrospective, rendered once when it is generated (worker/domain/retro-text.ts) and
// stored in the project's language at the time, like patrol descriptions. Enum values (anomaly types,
// severities) stay machine values; names and quotes arrive as they are stored.
type Period = { label: string; zone: string };

export const retro = {
  teamTitle: (p: Period & { weekly: boolean }) =>
    `${p.weekly ? "Weekly" : "Daily"} team retrospective, ${p.label} (${p.zone})`,
  agentTitle: (p: Period & { weekly: boolean; name: string }) =>
    `${p.weekly ? "Weekly" : "Daily"} retrospective of ${p.name}, ${p.label} (${p.zone})`,
  partial: "The period has not ended: this is a preview, the scheduled run replaces it.",
  quiet: "Nothing was done, reviewed or reported in this period.",
  summary: (p: {
    done: number;
    reviews: number;
    rejections: number;
    reworked: number;
    anomalies: number;
    net: string;
  }) =>
    `${p.done} sub-tasks done; ${p.reviews} reviews, ${p.rejections} rejections on ${p.reworked} sub-tasks; ${p.anomalies} anomalies; score ${p.net}.`,
  patternsHead: "Repeated failures:",
  issuePattern: (p: { sample: string; count: number; again: string }) => `- issue "${p.sample}" ×${p.count}${p.again}`,
  typePattern: (p: { sample: string; count: number; again: string }) =>
    `- sub-tasks like "${p.sample}" rejected ×${p.count}${p.again}`,
  again: (p: { periods: string }) => `, again (also ${p.periods})`,
  rejectionsHead: "Rejections:",
  rejection: (p: { name: string; round: number; executor: string; issue: string }) =>
    `- ${p.name}, round ${p.round}, ${p.executor}: ${p.issue}`,
  reworkHead: "Rework by executor:",
  rework: (p: { agent: string; rejections: number; subTasks: number }) =>
    `- ${p.agent}: ${p.rejections} rejections on ${p.subTasks} sub-tasks`,
  anomaliesHead: "Anomalies:",
  anomaly: (p: { type: string; severity: string; count: number; agents: string }) =>
    `- ${p.type} (${p.severity}) ×${p.count}${p.agents ? `: ${p.agents}` : ""}`,
  scoreHead: "Score movers:",
  scoreUp: (p: { movers: string }) => `- up: ${p.movers}`,
  scoreDown: (p: { movers: string }) => `- down: ${p.movers}`,
  longestHead: "Took longest:",
  longest: (p: { name: string; agent: string; lead: string; work: string }) =>
    `- ${p.name} (${p.agent}): ${p.lead} from creation${p.work ? `, ${p.work} of work` : ""}`,
  reflectionsHead: "Reflections:",
  reflection: (p: { agent: string; summary: string; retro: boolean }) =>
    `- ${p.agent}${p.retro ? " (on a retrospective)" : ""}: ${p.summary}`,
  more: (p: { count: number }) => `- … and ${p.count} more`,
  unknownAgent: "unknown executor",
  duration: (p: { days: number; hours: number; minutes: number }) =>
    [p.days ? `${p.days} d` : "", p.hours ? `${p.hours} h` : "", `${p.minutes} min`].filter(Boolean).join(" "),
  listSeparator: ", ",
};
