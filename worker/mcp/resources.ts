// What an agent reads rather than calls: the rules, its role's skill and its briefing, each one API
// request (so a resource always says what the HTTP API says).
import { McpError, type ReadResourceResult, type Resource } from "@modelcontextprotocol/sdk/types.js";
import { LATEST_CLI_VERSION } from "../domain/rules";
import { type ApiAnswer, type ApiCall, fetchApi, throwProtocolError } from "./call";

interface ResourceSpec extends Resource {
  mimeType: string;
  /** The API request behind it. */
  path: string;
  /** The resource's text from the API's answer. */
  text: (answer: ApiAnswer) => string;
}

export const RESOURCES: readonly ResourceSpec[] = [
  {
    uri: "openmoss://rules",
    name: "rules",
    title: "Rules",
    description: "The rules every agent follows (the global rule, variables filled in). Read them before any work.",
    mimeType: "text/markdown",
    // Sent with the CLI's current version: an MCP client has no CLI to update.
    path: `/api/rules?cli_version=${LATEST_CLI_VERSION}`,
    text: (a) => String((a.json as { content?: unknown } | undefined)?.content ?? ""),
  },
  {
    uri: "openmoss://skill",
    name: "skill",
    title: "Role skill (SKILL.md)",
    description:
      "How your role works here: its workflow, its duties and its commands (written for task-cli; the tools of this server do the same).",
    mimeType: "text/markdown",
    path: "/api/agents/me/skill",
    text: (a) => a.text,
  },
  {
    uri: "openmoss://briefing",
    name: "briefing",
    title: "Briefing",
    description: "The same as the get_briefing tool: rules, score, your sub-tasks, your queue and next steps, as JSON.",
    mimeType: "application/json",
    path: "/api/agents/me/briefing",
    text: (a) => a.text,
  },
];

/** The MCP error code for an unknown resource (the specification's "Resource not found"). */
export const RESOURCE_NOT_FOUND = -32002;

export const listResources = (): Resource[] => RESOURCES.map(({ path: _path, text: _text, ...resource }) => resource);

export async function readResource(uri: string, api: ApiCall): Promise<ReadResourceResult> {
  const spec = RESOURCES.find((r) => r.uri === uri);
  if (!spec) throw new McpError(RESOURCE_NOT_FOUND, `Resource not found: ${uri}`, { uri });
  const answer = await fetchApi(api, "GET", spec.path);
  if (answer.status >= 400) throwProtocolError(answer);
  return { contents: [{ uri: spec.uri, mimeType: spec.mimeType, text: spec.text(answer) }] };
}
