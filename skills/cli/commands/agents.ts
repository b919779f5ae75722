// `agents`, `notification` and `heartbeat`: the team, the notification setup, and "I am alive".
import { ROLES } from "../../../contract/vocabulary";
import type { Command } from "../context";
import { t } from "../i18n/index";
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
  summary: (m) => m.agents.summary,
  flags: [{ name: "role", metavar: "ROLE", choices: ROLES, help: (m) => m.agents.role }],
  async run(c) {
    const agents = await c.api.get<Agent[]>("/api/agents", { role: c.str("role") });
    c.show(agents, () =>
      printList(
        agents,
        t().agents.none,
        (a) =>
          `[${a.status}] ${a.name} (${a.role}) ID:${a.id} ${t().agents.score(a.total_score)}${a.description ? ` — ${a.description}` : ""}`,
      ),
    );
  },
};

export const notificationCommand: Command = {
  name: "notification",
  summary: (m) => m.agents.notification,
  async run(c) {
    const n = await c.api.get<NotificationConfig>("/api/config/notification");
    c.show(n, () => {
      const m = t().agents;
      const listed = (values: string[]) => (values.length > 0 ? values.join(", ") : m.notConfigured);
      print(m.enabled(n.enabled), m.channels(listed(n.channels)), m.events(listed(n.events)));
    });
  },
};

export const heartbeatCommand: Command = {
  name: "heartbeat",
  summary: (m) => m.agents.heartbeat,
  async run(c) {
    const beat = await c.api.post<Heartbeat>("/api/agents/me/heartbeat");
    c.show(beat, () => print(t().agents.beat(beat.heartbeat_at)));
  },
};
