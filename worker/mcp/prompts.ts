// What a host puts in front of the model at each wake-up: the agent's standing prompt, the merged
// rules and its briefing as text. Each prompt is one request to our own API with the caller's key
// (call.ts), so auth, rate limit and errors are the API's, as for a tool or a resource.
import { ErrorCode, type GetPromptResult, McpError, type Prompt } from "@modelcontextprotocol/sdk/types.js";
import { LATEST_CLI_VERSION } from "../domain/rules";
import { catalogue, type Language } from "../i18n";
import { type BriefingJson, briefingText } from "./briefing-text";
import { type ApiAnswer, type ApiCall, fetchApi, throwProtocolError } from "./call";

/** Also its key in the catalogue's `prompts` (title and description). */
type PromptName = "briefing" | "standing_prompt" | "rules";

interface PromptSpec {
  name: PromptName;
  /** Its arguments, each described by a key of the catalogue's `prompts`. */
  arguments?: { name: string; description: "taskIdArg" | "subTaskIdArg"; required: boolean }[];
  /** The API request behind it, from the prompt's arguments (already checked to be known ones). */
  path: (args: Record<string, string>) => string;
  /** The prompt's text from the API's answer. */
  text: (answer: ApiAnswer, lang: Language) => string;
}

const withQuery = (path: string, query: Record<string, string>) => {
  const qs = new URLSearchParams(query).toString();
  return qs ? `${path}?${qs}` : path;
};

export const PROMPTS: readonly PromptSpec[] = [
  {
    name: "briefing",
    path: () => "/api/agents/me/briefing",
    text: (a, lang) => briefingText(a.json as BriefingJson, lang),
  },
  {
    name: "standing_prompt",
    path: () => "/api/agents/me/standing-prompt",
    text: (a) => String((a.json as { prompt?: unknown } | undefined)?.prompt ?? ""),
  },
  {
    name: "rules",
    arguments: [
      { name: "task_id", description: "taskIdArg", required: false },
      { name: "sub_task_id", description: "subTaskIdArg", required: false },
    ],
    // Sent with the CLI's current version: an MCP client has no CLI to update.
    path: (args) => withQuery("/api/rules", { cli_version: String(LATEST_CLI_VERSION), ...args }),
    text: (a, lang) =>
      String((a.json as { content?: unknown } | undefined)?.content ?? "") || catalogue(lang).mcp.prompts.noRules,
  },
];

/** A prompt as prompts/list shows it, titles and descriptions in `lang`; names never change. */
function listing(spec: PromptSpec, lang: Language): Prompt {
  const texts = catalogue(lang).mcp.prompts;
  const prompt: Prompt = { name: spec.name, ...texts[spec.name] };
  if (spec.arguments) prompt.arguments = spec.arguments.map((a) => ({ ...a, description: texts[a.description] }));
  return prompt;
}

export const listPrompts = (lang: Language): Prompt[] => PROMPTS.map((spec) => listing(spec, lang));

export async function getPrompt(
  name: string,
  args: Record<string, string>,
  api: ApiCall,
  lang: Language,
): Promise<GetPromptResult> {
  const texts = catalogue(lang).mcp;
  const spec = PROMPTS.find((p) => p.name === name);
  if (!spec)
    throw new McpError(
      ErrorCode.InvalidParams,
      texts.unknownPrompt({ name, prompts: PROMPTS.map((p) => p.name).join(", ") }),
    );
  const known = (spec.arguments ?? []).map((a) => a.name);
  const unknown = Object.keys(args).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new McpError(
      ErrorCode.InvalidParams,
      texts.promptArguments({ name, known: known.join(", "), unknown: unknown.join(", ") }),
    );
  }
  const answer = await fetchApi(api, "GET", spec.path(args));
  if (answer.status >= 400) throwProtocolError(answer);
  return {
    description: texts.prompts[spec.name].description,
    messages: [{ role: "user", content: { type: "text", text: spec.text(answer, lang) } }],
  };
}
