// `score …`: my score, ledgers, the leaderboard and manual adjustments.
import type {
  LeaderboardEntry as LeaderboardEntryJson,
  ScoreSummary as ScoreSummaryJson,
} from "../../../contract/api/scores";
import type { Group } from "../context";
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
  summary: "Scores: me, logs, agent-logs, leaderboard, adjust",
  commands: [
    {
      name: "me",
      summary: "My score, rank and reward/penalty counts",
      async run(c) {
        const s = await c.api.get<ScoreSummary>("/api/scores/me");
        c.show(s, () =>
          print(
            `Agent: ${s.agent_name}`,
            `Total score: ${s.total_score}`,
            `Rank: #${s.rank} of ${s.total_agents}`,
            `Rewards: ${s.reward_count}`,
            `Penalties: ${s.penalty_count}`,
          ),
        );
      },
    },
    {
      name: "logs",
      summary: "My score changes, newest first (check them on every wake-up)",
      flags: PAGE_FLAGS,
      async run(c) {
        const body = await c.api.get<Envelope<RewardLog>>("/api/scores/me/logs", pageQuery(c));
        c.show(body, () => printList(body, "No score records", ledgerLine));
      },
    },
    {
      name: "agent-logs",
      summary: "Another agent's score changes, newest first",
      positionals: [{ name: "agent_id", help: "agent id", id: "agent" }],
      flags: PAGE_FLAGS,
      async run(c) {
        const body = await c.api.get<Envelope<RewardLog>>(`/api/scores/${seg(c.arg("agent_id"))}/logs`, pageQuery(c));
        c.show(body, () => printList(body, "This agent has no score records", ledgerLine));
      },
    },
    {
      name: "leaderboard",
      summary: "All agents by score",
      async run(c) {
        const rows = await c.api.get<LeaderboardEntry[]>("/api/scores/leaderboard");
        c.show(rows, () =>
          printList(rows, "No agents yet", (r) => `#${r.rank} ${r.agent_name} (${r.role}): ${r.total_score} pts`),
        );
      },
    },
    {
      name: "adjust",
      summary: "Change another agent's score by hand [planner, reviewer]",
      positionals: [
        { name: "agent_id", help: "agent id", id: "agent" },
        { name: "delta", help: "points, e.g. 5 or -5 (not 0)", int: true },
        { name: "reason", help: "why" },
      ],
      flags: [{ name: "sub-task-id", metavar: "ID", id: "sub_task", help: "the sub-task it is about" }],
      async run(c) {
        const row = await c.api.post<RewardLog>("/api/scores/adjust", {
          agent_id: c.arg("agent_id"),
          score_delta: c.int("delta"),
          reason: c.arg("reason"),
          sub_task_id: c.str("sub-task-id"),
        });
        c.show(row, () => print(`✅ Score adjusted: ${signed(row.score_delta)} reason: ${row.reason}`));
      },
    },
  ],
};
