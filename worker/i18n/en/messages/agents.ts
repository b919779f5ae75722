// Texts of agent refusals: registration (routes/agents.ts, db/enrollment.ts, domain/enrollment.ts),
// names (domain/names.ts), the per-agent rate limit (auth/rate-limit.ts), the admin's agent pages.
export const agents = {
  agentNotFound: (p: { id: string }) => `agent ${p.id} does not exist`,
  agentGone: "agent does not exist",
  agentChanged: "the agent changed while this request ran; retry",
  agentHasOpenWork: (p: { count: number }) =>
    `the agent still holds ${p.count} open sub-task(s); reassign or cancel them first`,
  confirmAgentName: "confirm_name does not match the agent's name",
  giveAgentFields: "give a name, role or description",
  /** `name` is quoted (agent-chosen text). */
  nameTaken: (p: { name: string }) =>
    `the name ${p.name} clashes with an existing agent's name (the same letters, ignoring case and width); choose another`,
  missingRegistrationToken: "missing X-Registration-Token header",
  registrationClosed: "registration with the shared token is off; ask your admin for an enrollment token",
  invalidRegistrationToken: "invalid registration token",
  tokenRegistersNoRole: (p: { asked: string }) =>
    `this token registers no role; ask your admin for an enrollment token for ${p.asked}`,
  tokenRegistersOnly: (p: { allowed: string; asked: string }) =>
    `this token registers only ${p.allowed}, not ${p.asked}; ask your admin for an enrollment token for ${p.asked}`,
  registrationRateLimited: (p: { perHour: number; seconds: number }) =>
    `this token registered too many agents recently (limit ${p.perHour} an hour); retry in ${p.seconds} s`,
  enrollmentRevoked: "this enrollment token was revoked; ask your admin for a new one",
  enrollmentUsedUp: "this enrollment token has been used up; ask your admin for a new one",
  enrollmentExpired: "this enrollment token has expired; ask your admin for a new one",
  enrollmentTokenNotFound: (p: { id: string }) => `no enrollment token with id ${p.id}`,
  rateLimited: (p: { perMinute: number; burst: number; seconds: number }) =>
    `too many requests: this agent may send ${p.perMinute} per minute, ${p.burst} at once; retry in ${p.seconds} s`,
};
