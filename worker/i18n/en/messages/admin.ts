// Texts of the admin side: login and sessions (routes/admin-auth.ts, auth/admin.ts, auth/throttle.ts,
// auth/crypto.ts), the live socket (routes/live.ts) and the public feed (routes/feed.ts).
export const admin = {
  notInitialized: "run the setup wizard first",
  wrongPassword: "wrong password",
  currentPasswordWrong: "current password is wrong",
  passwordChangedDuringLogin: "the password changed during login; log in again",
  missingAdminToken: "missing X-Admin-Token header; log in first",
  invalidSession: "admin session invalid or expired; log in again",
  pepperMissing: (p: { name: string }) =>
    `the ${p.name} secret the admin password was hashed with is not set on this Worker`,
  tooManyAttempts: "too many failed attempts; try again later",
  // The live socket and the public feed.
  upgradeRequired: "this endpoint is a WebSocket: connect with Upgrade: websocket",
  unsupportedProtocol: (p: { protocol: string }) => `offer the WebSocket subprotocol ${p.protocol}`,
  liveNeedsSession: (p: { prefix: string }) =>
    `offer the admin session as the subprotocol ${p.prefix}<token>; log in first`,
  feedDisabled: "the public feed is not enabled",
  hubNeedsUpgrade: "expected an authenticated WebSocket upgrade",
  liveFull: "too many live connections; the dashboard polls instead",
};
