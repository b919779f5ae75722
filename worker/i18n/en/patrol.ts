// The descriptions of the records the patrol cron files (domain/anomalies.ts), in English: the source
// the other languages are typed against. They are stored, so they are written once, in the project's
// language at the time; `name` arrives JSON-quoted, `status` is the machine value.
type Name = { name: string };

export const patrol = {
  minutes: (p: { minutes: number }) => `${p.minutes} min`,
  timeoutCritical: (p: Name & { running: string; limit: number }) =>
    `${p.name} has been in progress for ${p.running} (critical after ${p.limit} min); blocked`,
  timeoutWarning: (p: Name & { running: string; limit: number }) =>
    `${p.name} has been in progress for ${p.running} (warning after ${p.limit} min)`,
  stuck: (p: Name & { status: string; idle: string }) => `${p.name} (${p.status}) has not changed for ${p.idle}`,
  holderDeleted: (p: Name & { status: string }) => `${p.name} (${p.status}) is assigned to an agent that was deleted`,
  holderDisabled: (p: Name & { status: string }) => `${p.name} (${p.status}) is assigned to an agent that is disabled`,
  unclaimed: (p: Name & { waiting: string }) => `${p.name} has been claimable for ${p.waiting}; no executor claimed it`,
  reworkOverflow: (p: Name & { count: number }) => `${p.name} has been sent back ${p.count} times`,
  scoreDrop: (p: Name & { streak: number }) => `${p.name} lost points ${p.streak} times in a row`,
  /** What the cron did about a record it opened (`action_taken`), and why it closed one (its note). */
  blocked: "blocked",
  notBlocked: (p: { code: string }) => `not blocked: ${p.code}`,
  escalated: "escalated to critical",
  cleared: "condition cleared",
};
