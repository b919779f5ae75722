// `score …`: my score, ledgers, the leaderboard and manual adjustments.
import type {
  LeaderboardEntry as LeaderboardEntryJson,
  ScoreSummary as ScoreSummaryJson,
} from "../../../contract/api/scores";
import type { Group } from "../context";
import { t } from "../i18n/index";
import { type Envelope, print, printList, signed } from "../output";
import { PAGE_FLAGS, pageQuery, seg } from "./shared";
import type { RewardLog } from "./types";

type ScoreSummary = Pick<
  ScoreSummaryJson,
  "agent_name" | "total_score" | "rank" | "total_agents" | "reward_count" | "penalty_count"
>;

type LeaderboardEntry = Pick<LeaderboardEntryJson, "rank" | "agent_name" | "role" | "total_score">;

const ledgerLine = (r: RewardLog) => `${signed(r.score_delta)} ${r.reason}`;

export const scoreGroup: Group = {
  name: "score",
  summary: (m) => m.score.group,
  commands: [
    {
      name: "me",
      summary: (m) => m.score.me,
      async run(c) {
        const s = await c.api.get<ScoreSummary>("/api/scores/me");
        c.show(s, () => {
          const m = t().score;
          print(
            m.agent(s.agent_name),
            m.total(s.total_score),
            m.rank(s.rank, s.total_agents),
            m.rewards(s.reward_count),
            m.penalties(s.penalty_count),
          );
        });
      },
    },
    {
      name: "logs",
      summary: (m) => m.score.logs,
      flags: PAGE_FLAGS,
      async run(c) {
        const body = await c.api.get<Envelope<RewardLog>>("/api/scores/me/logs", pageQuery(c));
        c.show(body, () => printList(body, t().score.none, ledgerLine));
      },
    },
    {
      name: "agent-logs",
      summary: (m) => m.score.agentLogs,
      positionals: [{ name: "agent_id", help: (m) => m.score.agentId, id: "agent" }],
      flags: PAGE_FLAGS,
      async run(c) {
        const body = await c.api.get<Envelope<RewardLog>>(`/api/scores/${seg(c.arg("agent_id"))}/logs`, pageQuery(c));
        c.show(body, () => printList(body, t().score.noneOfAgent, ledgerLine));
      },
    },
    {
      name: "leaderboard",
      summary: (m) => m.score.leaderboard,
      async run(c) {
        const rows = await c.api.get<LeaderboardEntry[]>("/api/scores/leaderboard");
        c.show(rows, () =>
          printList(rows, t().score.noAgents, (r) => t().score.leader(r.rank, r.agent_name, r.role, r.total_score)),
        );
      },
    },
    {
      name: "adjust",
      summary: (m) => m.score.adjust,
      positionals: [
        { name: "agent_id", help: (m) => m.score.agentId, id: "agent" },
        { name: "delta", help: (m) => m.score.delta, int: true },
        { name: "reason", help: (m) => m.score.reason },
      ],
      flags: [{ name: "sub-task-id", metavar: "ID", id: "sub_task", help: (m) => m.score.subTask }],
      async run(c) {
        const row = await c.api.post<RewardLog>("/api/scores/adjust", {
          agent_id: c.arg("agent_id"),
          score_delta: c.int("delta"),
          reason: c.arg("reason"),
          sub_task_id: c.str("sub-task-id"),
        });
        c.show(row, () => print(t().score.adjusted(signed(row.score_delta), row.reason)));
      },
    },
  ],
};
