// Review records as agents read them: plain rows, paged or one by id (the admins' views, with names
// joined in, are in review-records.ts).
import { desc, eq } from "drizzle-orm";
import type { Envelope, PageRequest } from "../lib/pagination";
import type { Db } from "./client";
import { selectPage } from "./page";
import { reviewRecord } from "./schema";

export type ReviewRow = typeof reviewRecord.$inferSelect;

/** One page of reviews, optionally of one sub-task, newest first (then the later round). */
export function listReviews<Item>(
  db: Db,
  subTaskId: string | undefined,
  page: PageRequest,
  toItem: (row: ReviewRow) => Item,
): Promise<Envelope<Item>> {
  const where = subTaskId ? eq(reviewRecord.subTaskId, subTaskId) : undefined;
  return selectPage(db, reviewRecord, where, [desc(reviewRecord.createdAt), desc(reviewRecord.round)], page, toItem);
}

export async function findReview(db: Db, id: string): Promise<ReviewRow | undefined> {
  const [row] = await db.select().from(reviewRecord).where(eq(reviewRecord.id, id)).limit(1);
  return row;
}
