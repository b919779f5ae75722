// Texts of refusals and answers about recurring tasks: schedules and rounds (worker/domain/schedule.ts, worker/db/schedules.ts, worker/db/rounds.ts, their routes).
export const recurring = {
  // The schedule part (domain/schedule.ts validateSchedule)
  scheduleBadZone: (p: { tz: string }) => `"${p.tz}" is not an IANA time zone (e.g. Europe/Berlin, Asia/Shanghai)`,
  scheduleCronFields: "a cron expression has exactly 5 fields: minute hour day month weekday",
  scheduleBadCron: (p: { expr: string }) => `"${p.expr}" is not a valid cron expression`,
  scheduleNoNextRun: "the schedule never runs (no date matches it)",
  scheduleFieldRequired: (p: { field: string; kind: string }) => `${p.field}: required for kind "${p.kind}"`,
  scheduleFieldUnused: (p: { field: string; kind: string }) => `${p.field}: not used by kind "${p.kind}"; leave it out`,
  scheduleTooFrequent: (p: { minutes: number }) => `rounds may start at most every ${p.minutes} minutes`,
  scheduleEndsBeforeFirstRun: (p: { next: string }) =>
    `policy.ends_at comes before the first run (${p.next}); move ends_at later`,
  // The template part (domain/round-template.ts)
  templateOrFromSubTasks: "give either template or from_sub_tasks: true, not both",
  templateDuplicateKey: (p: { key: string }) => `the key "${p.key}" is used twice in the template`,
  templateUnknownModule: (p: { key: string; module: string }) =>
    `sub-task "${p.key}" names module "${p.module}", which the template does not define`,
  templateRepeatedDependency: (p: { key: string }) => `sub-task "${p.key}" lists a dependency twice`,
  templateUnknownDependency: (p: { key: string; depends_on: string }) =>
    `sub-task "${p.key}" depends on "${p.depends_on}", which the template does not define`,
  templateCycle: (p: { path: string }) => `the template's dependencies form a cycle: ${p.path}`,
  templateNothingToCopy: "the task has no sub-tasks to copy (cancelled ones and earlier rounds do not count)",
  templateTooManySubTasks: (p: { count: number; max: number }) =>
    `the task has ${p.count} sub-tasks; a round template holds at most ${p.max}`,
  templateTooManyModules: (p: { count: number; max: number }) =>
    `the sub-tasks use ${p.count} modules; a round template holds at most ${p.max}`,
  templateAgentNotExecutor: (p: { key: string; agent: string }) =>
    `sub-task "${p.key}" is assigned to ${p.agent}, which is not an executor`,
  // The schedule's states (db/schedules.ts)
  scheduleNotFound: (p: { task_id: string }) => `task ${p.task_id} has no schedule`,
  scheduleNotActive: (p: { status: string }) => `only an active schedule can be paused; it is ${p.status}`,
  scheduleNotPaused: (p: { status: string }) => `only a paused schedule can be resumed; it is ${p.status}`,
  scheduleAlreadyEnded: "the schedule has already ended",
  scheduleNoRunLeft: "the schedule has no run left (its end date or maximum number of rounds is reached)",
  scheduleChanged: "the schedule changed while this request ran; retry",
  scheduleModuleRace: "a module of the template was created by another request meanwhile; retry",
};
