// `register`: self-registration with the registration token; the only command without an API key.
import path from "node:path";
import { ROLES } from "../../../contract/vocabulary";
import { KEY_FILE_NAME } from "../config";
import type { Command } from "../context";
import { t } from "../i18n/index";
import { print } from "../output";

interface Registered {
  id: string;
  name: string;
  role: string;
  api_key: string;
}

export const registerCommand: Command = {
  name: "register",
  summary: (m) => m.register.summary,
  needs: "base",
  flags: [
    { name: "name", metavar: "NAME", required: true, help: (m) => m.register.name },
    { name: "role", metavar: "ROLE", required: true, choices: ROLES, help: (m) => m.common.oneOf(ROLES) },
    { name: "token", metavar: "TOKEN", required: true, help: (m) => m.register.token },
    { name: "description", metavar: "TEXT", help: (m) => m.register.description },
  ],
  async run(c) {
    const body = { name: c.str("name"), role: c.str("role"), description: c.str("description") ?? "" };
    const agent = await c.api.post<Registered>("/api/agents/register", body, {
      "x-registration-token": c.str("token") ?? "",
    });
    c.show(agent, () => {
      const m = t().register;
      print(
        m.done,
        m.agentId(agent.id),
        m.apiKey(agent.api_key),
        m.role(agent.role),
        "",
        m.saveKey,
        m.keyFile(path.join(path.dirname(c.cliFile), KEY_FILE_NAME)),
        `   OPENMOSS_API_KEY=${agent.api_key}`,
        `   OPENMOSS_BASE_URL=${c.api.base}`,
        m.thenUpdate,
      );
    });
  },
};
