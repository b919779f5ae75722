import type { D1Usage } from "../db/metered";
import { addUsage } from "../db/metered";
import type { ReviewRow, SubTaskRow, TransitionOutcome } from "../db/transitions";
import type { Actor } from "../domain/model";
import type { SubTaskCommand } from "../domain/sub-task-machine";
import type { Env } from "../env";
import { ApiError } from "../lib/errors";

/**
 * Runs a command through the sub-task's Durable Object and throws the ApiError it refused with.
 * The object's D1 usage is added to the request's.
 */
export async function transitionSubTask(
  env: Env,
  usage: D1Usage,
  subTaskId: string,
  command: SubTaskCommand,
  actor: Actor,
): Promise<{ subTask: SubTaskRow; review: ReviewRow | null }> {
  const stub = env.SUB_TASKS.get(env.SUB_TASKS.idFromName(subTaskId));
  const outcome = (await stub.apply(subTaskId, command, actor)) as TransitionOutcome & { usage: D1Usage };
  addUsage(usage, outcome.usage);
  if (!outcome.ok) throw ApiError.from(outcome.error);
  return { subTask: outcome.subTask, review: outcome.review };
}
