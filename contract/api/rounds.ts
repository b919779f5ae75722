// Response shape of a recurring task's round (docs/recurring.md): GET and POST /api/tasks/{task_id}/rounds.
import { z } from "@hono/zod-openapi";
import { ROUND_SKIP_REASONS, ROUND_STATUSES } from "../vocabulary.js";

const int = z.number().int();

export const RoundStatusEnum = z.enum(ROUND_STATUSES);
export const RoundSkipReasonEnum = z.enum(ROUND_SKIP_REASONS);

export const TaskRoundSchema = z
  .object({
    id: z.string(),
    task_id: z.string(),
    round_no: int.nullable().openapi({ description: "1, 2, 3… for created rounds; null for a skipped slot" }),
    round_key: z
      .string()
      .openapi({ description: "The slot (YYYY-MM-DDTHH:MMZ), or manual:<id> for a round started by hand" }),
    scheduled_for: z.string(),
    status: RoundStatusEnum,
    skip_reason: RoundSkipReasonEnum.nullable(),
    missed: int.openapi({ description: "Slots a late cron passed over before this one (they got no round)" }),
    created_at: z.string(),
    completed_at: z.string().nullable(),
    sub_tasks: z
      .object({ total: int, done: int, open: int })
      .openapi({ description: "The round's sub-tasks: all, done, and neither done nor cancelled" }),
  })
  .openapi("TaskRound");
export type TaskRound = z.infer<typeof TaskRoundSchema>;
