// What an agent reads rather than calls: the rules, its role's skill and its briefing, each one API
// request (so a resource always says what the HTTP API says).
import { McpError, type ReadResourceResult, type Resource } from "@modelcontextprotocol/sdk/types.js";
import { LATEST_CLI_VERSION } from "../domain/rules";
import { catalogue, type Language } from "../i18n";
import { type ApiAnswer, type ApiCall, fetchApi, throwProtocolError } from "./call";

interface ResourceSpec {
  uri: string;
  /** Also its key in the catalogue's `resources` (title and description). */
  name: "rules" | "skill" | "briefing";
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
    mimeType: "text/markdown",
    // Sent with the CLI's current version: an MCP client has no CLI to update.
    path: `/api/rules?cli_version=${LATEST_CLI_VERSION}`,
    text: (a) => String((a.json as { content?: unknown } | undefined)?.content ?? ""),
  },
  {
    uri: "openmoss://skill",
    name: "skill",
    mimeType: "text/markdown",
    path: "/api/agents/me/skill",
    text: (a) => a.text,
  },
  {
    uri: "openmoss://briefing",
    name: "briefing",
    mimeType: "application/json",
    path: "/api/agents/me/briefing",
    text: (a) => a.text,
  },
];

/** The MCP error code for an unknown resource (the specification's "Resource not found"). */
export const RESOURCE_NOT_FOUND = -32002;

/** The resources with titles and descriptions in `lang`; URIs and names never change. */
export const listResources = (lang: Language): Resource[] =>
  RESOURCES.map(({ path: _path, text: _text, ...resource }) => ({
    ...resource,
    ...catalogue(lang).mcp.resources[resource.name],
  }));

export async function readResource(uri: string, api: ApiCall, lang: Language): Promise<ReadResourceResult> {
  const spec = RESOURCES.find((r) => r.uri === uri);
  if (!spec) throw new McpError(RESOURCE_NOT_FOUND, catalogue(lang).mcp.resourceNotFound({ uri }), { uri });
  const answer = await fetchApi(api, "GET", spec.path);
  if (answer.status >= 400) throwProtocolError(answer);
  return { contents: [{ uri: spec.uri, mimeType: spec.mimeType, text: spec.text(answer) }] };
}
