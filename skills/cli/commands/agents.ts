// `agents`, `notification` and `heartbeat`: the team, the notification setup, and "I am alive".
import { ROLES } from "../../../contract/vocabulary";
import type { Command } from "../context";
import { print, printList } from "../output";
import type { Agent } from "./types";

interface NotificationConfig {
  enabled: boolean;
  channels: string[];
  events: string[];
}

interface Heartbeat {
  heartbeat_at: string;
  heartbeat_ip: string | null;
}

export const agentsCommand: Command = {
  name: "agents",
  summary: "List the registered agents",
  flags: [{ name: "role", metavar: "ROLE", choices: ROLES, help: "only this role" }],
  async run(c) {
    const agents = await c.api.get<Agent[]>("/api/agents", { role: c.str("role") });
    c.show(agents, () =>
      printList(
        agents,
        "No agents",
        (a) =>
          `[${a.status}] ${a.name} (${a.role}) ID:${a.id} Score:${a.total_score}${a.description ? ` — ${a.description}` : ""}`,
      ),
    );
  },
};

export const notificationCommand: Command = {
  name: "notification",
  summary: "Where and when to send notifications",
  async run(c) {
    const n = await c.api.get<NotificationConfig>("/api/config/notification");
    c.show(n, () =>
      print(
        `Enabled: ${n.enabled}`,
        `Channels: ${n.channels.length > 0 ? n.channels.join(", ") : "not configured"}`,
        `Events: ${n.events.length > 0 ? n.events.join(", ") : "not configured"}`,
      ),
    );
  },
};

export const heartbeatCommand: Command = {
  name: "heartbeat",
  summary: "Tell the server you are alive (shown as online on the dashboard)",
  async run(c) {
    const beat = await c.api.post<Heartbeat>("/api/agents/me/heartbeat");
    c.show(beat, () => print(`✅ Heartbeat recorded at ${beat.heartbeat_at}`));
  },
};
