import { z } from "@hono/zod-openapi";
import { AgentSummarySchema, FeedAgentSchema, FeedStatusSchema, type RecentAction } from "../../contract/api/feed";
import { FeedLogSchema } from "../../contract/api/records";
import type { App } from "../app";
import type { Db } from "../db/client";
import { listFeedAgents, listFeedLogs, readTopAgentActivity } from "../db/feed";
import { readSettings } from "../db/settings";
import { text as message } from "../i18n";
import { forbidden } from "../lib/errors";
import { PLAIN_LIST_LIMIT } from "../lib/pagination";
import { nowIso } from "../lib/time";
import { defineRoute, id, isoDateTime } from "./define";
import { requestLogJson } from "./shapes";

/** Agent cards are computed for at most this many agents (the top scorers). */
const SUMMARY_AGENTS = 200;
const RECENT_ACTIONS = 5;

async function assertFeedEnabled(db: Db) {
  if (!(await readSettings(db))["webui.public_feed"]) throw forbidden("feed_disabled", message("feedDisabled"));
}

const utcMidnight = (iso: string) => `${iso.slice(0, 10)}T00:00:00.000Z`;

export function registerFeedRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/feed/status",
      tag: "Feed",
      auth: "public",
      summary: "Whether the public activity feed is on",
      response: FeedStatusSchema,
    }),
    async (c) => c.json({ enabled: (await readSettings(c.var.db))["webui.public_feed"] }, 200),
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/feed/logs",
      tag: "Feed",
      auth: "public",
      summary:
        "Agent API calls, newest first; `after` returns only newer ones (for polling). 403 while the feed is off",
      query: z.object({
        after: isoDateTime.optional().openapi({
          description:
            "ISO-8601 date-time (UTC if no offset) or a date alone (midnight UTC, `2020-01-01`); only rows strictly newer",
        }),
        agent_id: id.optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: z.array(FeedLogSchema),
    }),
    async (c) => {
      const db = c.var.db;
      await assertFeedEnabled(db);
      const { after, agent_id, limit } = c.req.valid("query");
      const rows = await listFeedLogs(db, { after, agentId: agent_id, limit });
      return c.json(rows.map(requestLogJson), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/feed/agents",
      tag: "Feed",
      auth: "public",
      summary: "Agents by score. 403 while the feed is off",
      response: z.array(FeedAgentSchema),
    }),
    async (c) => {
      const db = c.var.db;
      await assertFeedEnabled(db);
      return c.json(await listFeedAgents(db, PLAIN_LIST_LIMIT), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/feed/agent-summary",
      tag: "Feed",
      auth: "public",
      summary: `Per-agent cards (top ${SUMMARY_AGENTS} by score): today's counts, current sub-task, last ${RECENT_ACTIONS} calls. 403 while the feed is off`,
      response: z.array(AgentSummarySchema),
    }),
    async (c) => {
      const db = c.var.db;
      await assertFeedEnabled(db);
      const { agents, counts, current, recent } = await readTopAgentActivity(
        db,
        SUMMARY_AGENTS,
        utcMidnight(nowIso()),
        RECENT_ACTIONS,
      );
      const countsBy = new Map(counts.map((r) => [r.agent_id, r]));
      const currentBy = new Map(
        current.map((r) => [r.agent_id, { id: r.id, name: r.name, module_name: r.module_name }]),
      );
      const recentBy = new Map<string, RecentAction[]>();
      for (const { agent_id, ...action } of recent) {
        const list = recentBy.get(agent_id) ?? [];
        if (list.length < RECENT_ACTIONS) list.push(action);
        recentBy.set(agent_id, list);
      }
      return c.json(
        agents.map((a) => {
          const n = countsBy.get(a.id);
          return {
            ...a,
            today_request_count: n?.requests ?? 0,
            today_submit_count: n?.submits ?? 0,
            today_review_count: n?.reviews ?? 0,
            current_sub_task: currentBy.get(a.id) ?? null,
            recent_actions: recentBy.get(a.id) ?? [],
          };
        }),
        200,
      );
    },
  );
}
