// Ending admin sessions (they are created and checked in auth/admin.ts).
import { eq } from "drizzle-orm";
import type { Db } from "./client";
import { adminSession } from "./schema";

/** Ends the session whose token hashes to `tokenHash` (nothing if it is already gone). */
export async function endAdminSession(db: Db, tokenHash: string): Promise<void> {
  await db.delete(adminSession).where(eq(adminSession.tokenHash, tokenHash));
}

/** The statement that ends every admin session, to go in the batch that changes the password. */
export const endAllAdminSessions = (db: Db) => db.delete(adminSession);
