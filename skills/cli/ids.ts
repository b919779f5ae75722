// Short ids: wherever a command takes an id (specs marked `id: <kind>`), a unique prefix of 8 or more
// characters stands for the full id. The server's GET /api/ids/{prefix} names the matches; a full
// UUID, or anything that is no prefix of one, is sent as it is, with no extra call.

import { FULL_UUID, ID_PREFIX, type IdKind } from "../../worker/domain/ids";
import type { CommandSpec } from "./args";
import { CliError } from "./errors";
import { PROG } from "./help";
import type { Api } from "./http";
import { t } from "./i18n/index";

interface IdMatch {
  kind: IdKind;
  id: string;
  name: string;
}

/** Where an agent finds the ids of each kind, for the "nothing matched" hint. */
const LIST_COMMANDS: Record<IdKind, string> = {
  task: "task list",
  module: "module list <task_id>",
  sub_task: "st list",
  agent: "agents",
  patrol_record: "patrol records",
  review: "review list",
};

const needsLookup = (value: string) => !FULL_UUID.test(value) && ID_PREFIX.test(value.toLowerCase());

async function resolveOne(api: Api, kind: IdKind, prefix: string): Promise<string> {
  const matches = await api.get<IdMatch[]>(`/api/ids/${encodeURIComponent(prefix)}`, { kind });
  const m = t().common;
  const what = m.kinds[kind];
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length === 0) {
    throw new CliError(m.noIdStarts(what, prefix), "id_not_found", m.copyIdFrom(`${PROG} ${LIST_COMMANDS[kind]}`));
  }
  const names = matches.map((m) => `${m.id} (${m.name})`).join(", ");
  throw new CliError(m.severalIds(prefix, what, names), "ambiguous_id", m.giveMoreOfId);
}

/** Replaces every id prefix in a parsed command line with the full id (one lookup per distinct value). */
export async function resolveIds(
  api: Api,
  command: CommandSpec,
  values: Record<string, string>,
  lists: Record<string, string[]>,
): Promise<void> {
  const resolved = new Map<string, Promise<string>>();
  const resolve = (kind: IdKind, value: string) => {
    if (!needsLookup(value)) return Promise.resolve(value);
    const key = `${kind}:${value}`;
    if (!resolved.has(key)) resolved.set(key, resolveOne(api, kind, value.toLowerCase()));
    return resolved.get(key)!;
  };
  const specs = [...(command.positionals ?? []), ...(command.flags ?? [])];
  await Promise.all(
    specs.map(async ({ name, id: kind }) => {
      if (kind === undefined) return;
      if (values[name] !== undefined) values[name] = await resolve(kind, values[name]);
      if (lists[name] !== undefined) lists[name] = await Promise.all(lists[name].map((v) => resolve(kind, v)));
    }),
  );
}
