import { and, asc, eq, type SQL } from "drizzle-orm";
import type { AgentStatus, Role } from "../../contract/vocabulary";
import type { AgentRow } from "../app-types";
import { newApiKey, sha256Hex } from "../auth/crypto";
import { nameKey, nameTaken } from "../domain/names";
import { nowIso } from "../lib/time";
import type { Db } from "./client";
import { agent } from "./schema";

export interface NewAgent {
  name: string;
  role: Role;
  description: string;
}

export type AgentInsert = typeof agent.$inferInsert & { id: string; name: string; role: Role };

/** A new active agent's row and its key; the key is returned once and only its hash is stored. */
export async function newAgentRow(input: NewAgent): Promise<{ row: AgentInsert; apiKey: string }> {
  const apiKey = newApiKey();
  const row: AgentInsert = {
    id: crypto.randomUUID(),
    ...input,
    nameKey: nameKey(input.name),
    status: "active",
    apiKeyHash: await sha256Hex(apiKey),
    totalScore: 0,
    createdAt: nowIso(),
  };
  return { row, apiKey };
}

/** What a registration answers (upstream's shape). */
export const registeredAgent = (row: AgentInsert, apiKey: string) => ({
  id: row.id,
  name: row.name,
  role: row.role,
  api_key: apiKey,
  message: "registered; save the API key now, it is shown only once",
});

/** Creates an agent; the key is returned once and only its hash is stored. */
export async function createAgent(db: Db, input: NewAgent) {
  const { row, apiKey } = await newAgentRow(input);
  const result = await db.insert(agent).values(row).onConflictDoNothing();
  if (result.meta.changes !== 1) throw nameTaken(input.name);
  return registeredAgent(row, apiKey);
}

/** Agents, optionally of one role or status, oldest first. */
export function listAgents(
  db: Db,
  filter: { role?: Role | undefined; status?: AgentStatus | undefined },
  limit: number,
): Promise<AgentRow[]> {
  const filters: SQL[] = [];
  if (filter.role) filters.push(eq(agent.role, filter.role));
  if (filter.status) filters.push(eq(agent.status, filter.status));
  return db
    .select()
    .from(agent)
    .where(and(...filters))
    .orderBy(asc(agent.createdAt))
    .limit(limit);
}

/** Records that the agent is alive: when, and from which address. */
export async function recordHeartbeat(db: Db, agentId: string, now: string, ip: string | null): Promise<void> {
  await db.update(agent).set({ lastHeartbeatAt: now, lastHeartbeatIp: ip }).where(eq(agent.id, agentId));
}
