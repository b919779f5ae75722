// `register`: self-registration with the registration token; the only command without an API key.
import path from "node:path";
import { ROLES } from "../../../contract/vocabulary";
import { KEY_FILE_NAME } from "../config";
import type { Command } from "../context";
import { print } from "../output";

interface Registered {
  id: string;
  name: string;
  role: string;
  api_key: string;
}

export const registerCommand: Command = {
  name: "register",
  summary: "Register as a new agent (needs the registration token from the admin)",
  needs: "base",
  flags: [
    { name: "name", metavar: "NAME", required: true, help: "your agent name (unique)" },
    { name: "role", metavar: "ROLE", required: true, choices: ROLES, help: "planner, executor, reviewer or patrol" },
    { name: "token", metavar: "TOKEN", required: true, help: "the registration token" },
    { name: "description", metavar: "TEXT", help: "what you are good at" },
  ],
  async run(c) {
    const body = { name: c.str("name"), role: c.str("role"), description: c.str("description") ?? "" };
    const agent = await c.api.post<Registered>("/api/agents/register", body, {
      "x-registration-token": c.str("token") ?? "",
    });
    c.show(agent, () =>
      print(
        "✅ Registration successful",
        `Agent ID: ${agent.id}`,
        `API Key: ${agent.api_key}`,
        `Role: ${agent.role}`,
        "",
        "⚠️ The API key is shown only this once. Save it now: these two lines, in the one key file this CLI reads",
        `   (${path.join(path.dirname(c.cliFile), KEY_FILE_NAME)}, next to it; chmod 600):`,
        `   OPENMOSS_API_KEY=${agent.api_key}`,
        `   OPENMOSS_BASE_URL=${c.api.base}`,
        "   then download your skill: node task-cli.mjs update",
      ),
    );
  },
};
