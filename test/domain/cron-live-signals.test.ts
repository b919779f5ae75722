// What the cron tells open dashboards after its rounds step: nothing when no round or schedule changed,
// the sub-task and task topics otherwise (the task page's schedule card and rounds table follow them).
import { describe, expect, it } from "vitest";
import { emptyUsage } from "../../worker/db/metered";
import { recurringSignals } from "../../worker/patrol/cron";
import type { RecurringReport } from "../../worker/patrol/recurring";

const idle: RecurringReport = {
  due: 0,
  created: 0,
  skipped: 0,
  ended: 0,
  completed: 0,
  deferred: 0,
  unreadable: 0,
  d1: emptyUsage(),
};

describe("recurringSignals", () => {
  it("says nothing when the step did not run or changed nothing", () => {
    expect(recurringSignals(undefined)).toEqual([]);
    expect(recurringSignals(idle)).toEqual([]);
  });

  it("names sub_tasks and tasks for each kind of change", () => {
    for (const change of ["created", "skipped", "ended", "completed"] as const) {
      expect(recurringSignals({ ...idle, due: 1, [change]: 1 }).sort()).toEqual(["sub_tasks", "tasks"]);
    }
  });
});
