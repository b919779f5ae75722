// `search`: the team memory (docs/search.md): past reflections, deliveries, blocks, plans,
// retrospective notes, review issues, rules and sub-task descriptions, best match first.
import type { SearchHit, SearchResult } from "../../../contract/api/search";
import { SEARCH_KINDS } from "../../../contract/vocabulary";
import { UsageError } from "../args";
import type { Command } from "../context";
import { t } from "../i18n/index";
import { print, shortId } from "../output";

/** The API's bounds (GET /api/search): checked here so a mistake costs no request. */
const MAX_QUERY_CHARS = 200;
const MAX_LIMIT = 50;

/**
 * One hit on two lines: what it is, then its snippet, indented. A newline inside stored text
 * becomes a space, so no snippet can pass for another hit (or another agent's line).
 */
export function hitLines(h: SearchHit): string[] {
  const head = [`${h.kind}${h.tag ? `/${h.tag}` : ""}`, shortId(h.id), h.created_at.slice(0, 10)];
  if (h.agent_name) head.push(h.agent_name);
  let line = head.join(" ");
  if (h.sub_task_name !== null) {
    // The sub-task's short id too (unless the hit is that sub-task): `st get` takes it.
    const id = h.sub_task_id && h.sub_task_id !== h.id ? ` (${shortId(h.sub_task_id)})` : "";
    line += ` · ${h.sub_task_name}${id}`;
  }
  return [line, `  ${h.snippet.replace(/\s*\n\s*/g, " ")}`];
}

export const searchCommand: Command = {
  name: "search",
  summary: (m) => m.search.summary,
  positionals: [{ name: "words", variadic: true, help: (m) => m.search.words }],
  flags: [
    {
      name: "kinds",
      metavar: "KIND[,KIND…]",
      list: true,
      choices: SEARCH_KINDS,
      help: (m) => m.search.kinds(m.common.oneOf(SEARCH_KINDS)),
    },
    { name: "task-id", metavar: "ID", id: "task", help: (m) => m.search.taskId },
    { name: "limit", metavar: "N", int: true, min: 1, max: MAX_LIMIT, help: (m) => m.search.limit },
  ],
  async run(c) {
    const q = c.list("words").join(" ").trim();
    if (q === "") throw new UsageError(t().search.noWords, ["search"]);
    if ([...q].length > MAX_QUERY_CHARS) throw new UsageError(t().search.tooLong(MAX_QUERY_CHARS), ["search"]);
    const kinds = [...new Set(c.list("kinds"))];
    const result = await c.api.get<SearchResult>("/api/search", {
      q,
      kinds: kinds.length > 0 ? kinds.join(",") : undefined,
      task_id: c.str("task-id"),
      limit: c.int("limit"),
    });
    c.show(result, () => {
      if (result.hits.length === 0) return print(t().search.none);
      for (const hit of result.hits) print(...hitLines(hit));
      if (result.capped) print(t().search.capped);
    });
  },
};

/** Listed by index.ts after `retro`. */
export const SEARCH_COMMANDS: Command[] = [searchCommand];
