// The browser suite's only time limits, in one place (vitest.config.ts and harness.ts read them).
// They are safety nets against a hang, not performance budgets: every wait in the suite is for a
// condition (a locator, a URL, the live badge, a response), which a fast machine meets in well under
// a second and a loaded 2-core machine in seconds. A wait that hits its limit has found a hang or a
// bug; a slow machine must never get there.

/** One wait for one condition: Playwright's default timeout and expect.poll's. */
export const WAIT_LIMIT_MS = 60_000;

/** One test (step): several waits in a row, each with its own limit, so a hung wait reports first. */
export const STEP_LIMIT_MS = 5 * WAIT_LIMIT_MS;
