// Texts of refusals and answers about retrospectives: generation, listing, findings turned into rules (worker/domain/retrospective*.ts, worker/db/retrospectives.ts, worker/routes/retrospectives.ts).
export const retros = {
  retrospectiveNotFound: "retrospective does not exist, or it is another agent's own",
  retroPeriodNotStarted: (p: { date: string }) => `the period of ${p.date} has not started yet`,
  retroRunThrottled: (p: { seconds: number }) =>
    `a retrospective of this kind was generated on demand less than 5 minutes ago; try again in ${p.seconds} s`,
  findingNotFound: (p: { id: string; retroId: string }) => `retrospective ${p.retroId} has no finding ${p.id}`,
  findingAlreadyRuled: (p: { id: string; ruleId: string }) => `finding ${p.id} is already rule ${p.ruleId}`,
  /** The suggested text of a task rule made from a finding: stored, in the project's language. */
  findingRuleIssue: (p: { sample: string; count: number; period: string }) =>
    `Recurring review issue (seen ${p.count}× in ${p.period}): "${p.sample}". Check this before you submit.`,
  findingRuleType: (p: { sample: string; count: number; period: string }) =>
    `Sub-tasks like "${p.sample}" were rejected ${p.count}× in ${p.period}. Read their acceptance criteria again before you submit.`,
  retroLogTarget: "a retro log is about a retrospective: name it with retrospective_id, not a sub-task or task",
  retrospectiveIdNeedsRetro: (p: { action: string }) => `retrospective_id goes only with action retro, not ${p.action}`,
};
