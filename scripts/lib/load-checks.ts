// The load scenario's final state checks (not measured): every sub-task the planners created is done
// after exactly one rework, reviewed in round 1 (rejected) and round 2 (approved), claimed once, and
// every task whose sub-tasks are all done is completed.
import type { Created, Page, ReviewRow, SubTaskRow } from "./api-types.ts";
import type { Query } from "./http.ts";
import type { LoadTeams } from "./load-agents.ts";
import type { LoadClient } from "./load-client.ts";

async function allPages<T>(client: LoadClient, key: string, template: string, query: Query = {}): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const res = await client.api<Page<T>>(key, "GET", template, { query: { ...query, page, page_size: 100 } });
    items.push(...res.items);
    if (!res.has_more || res.items.length === 0) return items;
  }
}

/** What is wrong with the final state, read with an agent's `key`; empty when all is well. */
export async function verifyFinalState(client: LoadClient, teams: LoadTeams, key: string): Promise<string[]> {
  client.recording = false;
  const problems: string[] = [];
  const created = new Set(teams.created);
  const subTasks = (await allPages<SubTaskRow>(client, key, "/api/sub-tasks")).filter((s) => created.has(s.id));
  if (subTasks.length !== created.size) problems.push(`${created.size} sub-tasks created, ${subTasks.length} found`);
  const notDone = subTasks.filter((s) => s.status !== "done");
  if (notDone.length)
    problems.push(
      `${notDone.length} sub-task(s) not done: ${notDone
        .slice(0, 5)
        .map((s) => `${s.id}=${s.status}`)
        .join(", ")}`,
    );
  const wrongRework = subTasks.filter((s) => s.rework_count !== 1);
  if (wrongRework.length) problems.push(`${wrongRework.length} sub-task(s) with rework_count ≠ 1`);
  if (teams.counters.claims !== created.size)
    problems.push(`${teams.counters.claims} successful claims for ${created.size} sub-tasks`);

  const reviews = (await allPages<ReviewRow>(client, key, "/api/review-records")).filter((r) =>
    created.has(r.sub_task_id),
  );
  if (reviews.length !== 2 * created.size)
    problems.push(`${reviews.length} review records, expected ${2 * created.size}`);
  const bySubTask = new Map<string, ReviewRow[]>();
  for (const r of reviews) bySubTask.set(r.sub_task_id, [...(bySubTask.get(r.sub_task_id) ?? []), r]);
  let badRounds = 0;
  for (const list of bySubTask.values()) {
    const rounds = list
      .map((r) => `${r.round}:${r.result}`)
      .sort()
      .join(",");
    if (rounds !== "1:rejected,2:approved") badRounds += 1;
  }
  if (badRounds) problems.push(`${badRounds} sub-task(s) whose reviews are not round 1 rejected + round 2 approved`);

  const tasks = new Set(teams.tasks);
  const taskRows = (await allPages<Created & { status: string }>(client, key, "/api/tasks")).filter((t) =>
    tasks.has(t.id),
  );
  const openTasks = taskRows.filter((t) => t.status !== "completed");
  if (openTasks.length) problems.push(`${openTasks.length} task(s) not completed after all their sub-tasks were done`);
  return problems;
}
