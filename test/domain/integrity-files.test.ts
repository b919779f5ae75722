// The file_state invariant (worker/domain/integrity-files.ts): each corruption of a clean set of file
// rows is reported under its invariant, and the clean set (stored files of two versions, an upload in
// flight, the usage counter equal to the rows) passes.
import { describe, expect, it } from "vitest";
import { checkIntegrity, type IntegrityRows } from "../../worker/domain/integrity";

const SHA = "a".repeat(64);
const key = (id: string) => `files/t1/s1/${id}`;

/** Sub-task s1 of task t1, reworked once and in progress again: f0 in version 0, f1 in version 1, f2 uploading. */
function clean(): IntegrityRows {
  const events = [
    ["create", null, "pending"],
    ["claim", "pending", "assigned"],
    ["start", "assigned", "in_progress"],
    ["submit", "in_progress", "review"],
    ["review", "review", "rework"],
    ["start", "rework", "in_progress"],
  ] as const;
  return {
    tasks: [{ id: "t1", status: "in_progress" }],
    modules: [],
    subTasks: [
      {
        id: "s1",
        taskId: "t1",
        moduleId: null,
        status: "in_progress",
        assignedAgent: "a1",
        reworkCount: 1,
        roundId: null,
      },
    ],
    events: events.map(([op, from, to], i) => ({ id: `e${i}`, subTaskId: "s1", op, fromStatus: from, toStatus: to })),
    dependencies: [],
    agents: [{ id: "a1", totalScore: 0 }],
    ledger: [],
    reviews: [{ id: "r1", subTaskId: "s1", round: 1, result: "rejected" }],
    rules: [],
    patrolRecords: [],
    activityLogs: [],
    outbox: [],
    deliveries: [],
    attempts: [],
    schedules: [],
    rounds: [],
    files: [
      {
        id: "f0",
        subTaskId: "s1",
        taskId: "t1",
        version: 0,
        state: "stored",
        size: 10,
        name: "a.txt",
        sha256: SHA,
        storedAt: "2026-12-05T00:00:00.000Z",
        r2Key: key("f0"),
      },
      {
        id: "f1",
        subTaskId: "s1",
        taskId: "t1",
        version: 1,
        state: "stored",
        size: 20,
        name: "a.txt",
        sha256: SHA,
        storedAt: "2026-12-05T01:00:00.000Z",
        r2Key: key("f1"),
      },
      {
        id: "f2",
        subTaskId: "s1",
        taskId: "t1",
        version: 1,
        state: "uploading",
        size: 5,
        name: "f2/b.txt",
        sha256: null,
        storedAt: null,
        r2Key: key("f2"),
      },
    ],
    fileUsage: [{ id: 1, bytes: 35, files: 3 }],
    searchEntries: [],
  };
}

function violationsOf(corrupt: (rows: IntegrityRows) => void): string[] {
  const rows = clean();
  corrupt(rows);
  return checkIntegrity(rows).violations.map((v) => `${v.invariant} ${v.table} ${v.id}: ${v.detail}`);
}

const file = (rows: IntegrityRows, id: string) => rows.files.find((f) => f.id === id)!;

describe("file_state", () => {
  it("a clean set of files passes, an upload in flight included", () => {
    expect(checkIntegrity(clean()).violations).toEqual([]);
  });

  it("an upload left on a submitted sub-task is allowed (released right after, or by the cron's sweep)", () => {
    expect(
      violationsOf((r) => {
        r.subTasks[0]!.status = "review";
        r.events.push({ id: "e9", subTaskId: "s1", op: "submit", fromStatus: "in_progress", toStatus: "review" });
      }),
    ).toEqual([]);
  });

  it("a version the sub-task never had", () => {
    expect(
      violationsOf((r) => {
        file(r, "f1").version = 2;
      }),
    ).toEqual(["file_state sub_task_file f1: version 2, but its sub-task's rework_count is 1"]);
  });

  it("a stored file without its SHA-256 or stored_at, or under a path-like name", () => {
    expect(
      violationsOf((r) => {
        file(r, "f0").sha256 = null;
        file(r, "f1").storedAt = null;
      }),
    ).toEqual([
      "file_state sub_task_file f0: stored with sha256 null",
      "file_state sub_task_file f1: stored without stored_at",
    ]);
    expect(
      violationsOf((r) => {
        file(r, "f0").sha256 = "ABC";
        file(r, "f1").name = "f1/a.txt";
      }),
    ).toEqual([
      "file_state sub_task_file f0: stored with sha256 ABC",
      'file_state sub_task_file f1: stored under the name "f1/a.txt"',
    ]);
  });

  it("an upload with a checksum already, or not under its <id>/<name> name", () => {
    expect(
      violationsOf((r) => {
        file(r, "f2").sha256 = SHA;
        file(r, "f2").name = "b.txt";
      }),
    ).toEqual([
      "file_state sub_task_file f2: uploading, yet it has a sha256 or stored_at",
      'file_state sub_task_file f2: uploading under the name "b.txt", not <id>/<name>',
    ]);
  });

  it("an unknown state, a foreign object key, a negative size", () => {
    expect(
      violationsOf((r) => {
        file(r, "f0").state = "deleted";
        file(r, "f1").r2Key = "files/t9/s1/f1";
      }),
    ).toEqual([
      "file_state sub_task_file f0: state deleted",
      "file_state sub_task_file f1: r2_key files/t9/s1/f1, not files/t1/s1/f1",
    ]);
    expect(
      violationsOf((r) => {
        file(r, "f0").size = -10;
        r.fileUsage![0]!.bytes = 15;
      }),
    ).toEqual(["file_state sub_task_file f0: size -10"]);
  });

  it("a reachable object queued for deletion", () => {
    expect(
      violationsOf((r) => {
        file(r, "f1").queued = 1;
      }),
    ).toEqual([`file_state sub_task_file f1: its object ${key("f1")} is queued in file_deletion`]);
  });

  it("file_usage disagreeing with the rows, missing, or doubled", () => {
    expect(
      violationsOf((r) => {
        r.fileUsage = [{ id: 1, bytes: 30, files: 2 }];
      }),
    ).toEqual(["file_state file_usage 1: counts 30 bytes in 2 files; the rows hold 35 bytes in 3"]);
    expect(
      violationsOf((r) => {
        r.fileUsage = [];
      }),
    ).toEqual(["file_state file_usage 1: 0 row(s), expected exactly the row id 1"]);
    expect(
      violationsOf((r) => {
        r.fileUsage = [...r.fileUsage!, { id: 2, bytes: 0, files: 0 }];
      }),
    ).toEqual(["file_state file_usage 1: 2 row(s), expected exactly the row id 1"]);
  });

  it("reference: a file of a missing sub-task, or naming another task", () => {
    expect(
      violationsOf((r) => {
        file(r, "f0").subTaskId = "s9";
        file(r, "f0").r2Key = "files/t1/s9/f0";
        file(r, "f1").taskId = "t9";
        file(r, "f1").r2Key = "files/t9/s1/f1";
      }),
    ).toEqual([
      "reference sub_task_file f0: sub_task_id → sub-task s9, which does not exist",
      "reference sub_task_file f1: task_id t9, but its sub-task is in task t1",
    ]);
  });
});
