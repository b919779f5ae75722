import { newApiKey, sha256Hex } from "../auth/crypto";
import type { Role } from "../domain/model";
import { nameKey } from "../domain/names";
import { conflict } from "../lib/errors";
import { nowIso } from "../lib/time";
import type { Db } from "./client";
import { agent } from "./schema";

export interface NewAgent {
  name: string;
  role: Role;
  description: string;
}

/** Creates an agent; the key is returned once and only its hash is stored. */
export async function createAgent(db: Db, input: NewAgent) {
  const apiKey = newApiKey();
  const row = { id: crypto.randomUUID(), ...input, nameKey: nameKey(input.name), status: "active", apiKeyHash: await sha256Hex(apiKey), totalScore: 0, createdAt: nowIso() };
  const result = await db.insert(agent).values(row).onConflictDoNothing();
  if (result.meta.changes !== 1) throw conflict("name_taken", `an agent named "${input.name}" already exists`);
  return { id: row.id, name: row.name, role: row.role, api_key: apiKey, message: "registered; save the API key now, it is shown only once" };
}
