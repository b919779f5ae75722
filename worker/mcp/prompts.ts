// What a host puts in front of the model at each wake-up: the agent's standing prompt, the merged
// rules and its briefing as text. Each prompt is one request to our own API with the caller's key
// (call.ts), so auth, rate limit and errors are the API's, as for a tool or a resource.
import { ErrorCode, type GetPromptResult, McpError, type Prompt } from "@modelcontextprotocol/sdk/types.js";
import { LATEST_CLI_VERSION } from "../domain/rules";
import { type BriefingJson, briefingText } from "./briefing-text";
import { type ApiAnswer, type ApiCall, fetchApi, throwProtocolError } from "./call";

interface PromptSpec extends Prompt {
  /** The API request behind it, from the prompt's arguments (already checked to be known ones). */
  path: (args: Record<string, string>) => string;
  /** The prompt's text from the API's answer. */
  text: (answer: ApiAnswer) => string;
}

const withQuery = (path: string, query: Record<string, string>) => {
  const qs = new URLSearchParams(query).toString();
  return qs ? `${path}?${qs}` : path;
};

export const PROMPTS: readonly PromptSpec[] = [
  {
    name: "briefing",
    title: "Briefing",
    description:
      "Start each wake-up from this: who you are, your score, the next steps (most urgent first), your sub-tasks, your queue, and the rules when they changed.",
    path: () => "/api/agents/me/briefing",
    text: (a) => briefingText(a.json as BriefingJson),
  },
  {
    name: "standing_prompt",
    title: "Standing prompt",
    description:
      "Your permanent instructions for your role (the role template and what every run does). Use it as the system prompt of every run.",
    path: () => "/api/agents/me/standing-prompt",
    text: (a) => String((a.json as { prompt?: unknown } | undefined)?.prompt ?? ""),
  },
  {
    name: "rules",
    title: "Rules",
    description:
      "The rules in full: the global rule, then a task's and a sub-task's rules when you give their ids. Use it before you work on a task.",
    arguments: [
      { name: "task_id", description: "Add this task's rules", required: false },
      { name: "sub_task_id", description: "Add this sub-task's rules (and its task's)", required: false },
    ],
    // Sent with the CLI's current version: an MCP client has no CLI to update.
    path: (args) => withQuery("/api/rules", { cli_version: String(LATEST_CLI_VERSION), ...args }),
    text: (a) => String((a.json as { content?: unknown } | undefined)?.content ?? "") || "(no rules)",
  },
];

export const listPrompts = (): Prompt[] => PROMPTS.map(({ path: _path, text: _text, ...prompt }) => prompt);

export async function getPrompt(name: string, args: Record<string, string>, api: ApiCall): Promise<GetPromptResult> {
  const spec = PROMPTS.find((p) => p.name === name);
  if (!spec)
    throw new McpError(
      ErrorCode.InvalidParams,
      `Unknown prompt: ${name}; the prompts are ${PROMPTS.map((p) => p.name).join(", ")}`,
    );
  const known = (spec.arguments ?? []).map((a) => a.name);
  const unknown = Object.keys(args).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `${name} takes ${known.length ? known.join(", ") : "no arguments"}; unknown: ${unknown.join(", ")}`,
    );
  }
  const answer = await fetchApi(api, "GET", spec.path(args));
  if (answer.status >= 400) throwProtocolError(answer);
  return {
    description: spec.description,
    messages: [{ role: "user", content: { type: "text", text: spec.text(answer) } }],
  };
}
