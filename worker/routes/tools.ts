// What an agent downloads to work with us: the CLI (this server's address baked in), its role's skill
// (its key filled in), and both as one zip with a key file. The key comes from the request itself:
// only its hash is stored.
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App } from "../app";
import type { AppEnv } from "../app-types";
import { bearerKey } from "../auth/agent";
import { publicBaseUrl, readSettings } from "../db/settings";
import { CLI_FILENAME } from "../domain/cli-command";
import { cliForServer, keyFile, renderSkill, skillBundle, skillFolder } from "../domain/skills";
import { CLI_BASE_URL_PLACEHOLDER, CLI_LANG_PLACEHOLDER, CLI_SOURCE } from "../generated/cli";
import { adoptProjectLanguage } from "../i18n/request-language";
import { defineRoute } from "./define";

const tag = "Tools";
const download = (filename: string) => ({
  "Content-Disposition": `attachment; filename="${filename}"`,
  "Cache-Control": "no-store",
});

/** The Bearer key this request was authenticated with (agentAuth already checked it). */
const callerKey = (c: Context<AppEnv>): string => bearerKey(c.req.header("authorization") ?? "")!;

async function downloads(c: Context<AppEnv>) {
  const settings = await readSettings(c.var.db);
  adoptProjectLanguage(c, settings["project.language"]);
  const lang = c.var.lang;
  const baseUrl = publicBaseUrl(settings, c.req.url);
  const me = c.var.agent;
  const role = me.role;
  const apiKey = callerKey(c);
  return {
    role,
    baseUrl,
    apiKey,
    // The CLI's default language is the project's (its --lang or OPENMOSS_LANG override it at run time),
    // whatever language this one download was asked in.
    cli: () =>
      cliForServer(
        cliForServer(CLI_SOURCE, CLI_BASE_URL_PLACEHOLDER, baseUrl),
        CLI_LANG_PLACEHOLDER,
        settings["project.language"],
      ),
    skill: () =>
      renderSkill(role, { apiKey, baseUrl, agentName: me.name, projectName: settings["project.name"] }, lang),
  };
}

export function registerToolRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/tools/cli",
      tag,
      auth: "agent",
      contentType: "text/plain",
      summary: `The task CLI (${CLI_FILENAME}, Node ≥ 18, no dependencies) with this server's address filled in`,
      response: z.string(),
    }),
    async (c) => c.text((await downloads(c)).cli(), 200, download(CLI_FILENAME)),
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/agents/me/skill",
      tag,
      auth: "agent",
      contentType: "text/plain",
      summary: "The caller's role skill (SKILL.md) with its API key and this server's address filled in",
      response: z.string(),
    }),
    async (c) => c.text((await downloads(c)).skill(), 200, download("SKILL.md")),
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/agents/me/skill-bundle",
      tag,
      auth: "agent",
      contentType: "application/zip",
      summary: `A zip of task-<role>-skill/: SKILL.md, ${CLI_FILENAME} and OPENMOSS-AGENT.env (the key, so the CLI needs no --key)`,
      response: z.string().openapi({ format: "binary" }),
    }),
    async (c) => {
      const d = await downloads(c);
      const zip = skillBundle({
        role: d.role,
        skill: d.skill(),
        cli: d.cli(),
        keyFile: keyFile(d.baseUrl, d.apiKey),
        modified: new Date(),
      });
      return c.body(zip as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": "application/zip",
        ...download(`${skillFolder(d.role)}.zip`),
      });
    },
  );
}
