// The `message` of a successful answer (upstream's clients show it; ours print their own lines).
export const answers = {
  loginSuccess: "login success",
  loggedOut: "logged out",
  passwordChanged: "password changed; log in again",
  settingsUpdated: "settings updated",
  taskDeleted: "task deleted",
  heartbeatRecorded: "heartbeat recorded",
  rulesMerged: "merged rules (variables replaced)",
  ruleDeleted: "rule deleted",
  initializationComplete: "initialization complete",
};
