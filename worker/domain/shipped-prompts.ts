// The prompts that ship in prompts/: four role templates and example executor specialisations.
// Setup copies them into D1 once; from then on the database copy is the one admins edit.

import type { Role } from "../../contract/vocabulary";
import executorBackend from "../../prompts/agents/executor-backend.md";
import executorDevops from "../../prompts/agents/executor-devops.md";
import executorFrontend from "../../prompts/agents/executor-frontend.md";
import executorResearcher from "../../prompts/agents/executor-researcher.md";
import executorTester from "../../prompts/agents/executor-tester.md";
import executorTemplate from "../../prompts/templates/executor.md";
import patrolTemplate from "../../prompts/templates/patrol.md";
import plannerTemplate from "../../prompts/templates/planner.md";
import reviewerTemplate from "../../prompts/templates/reviewer.md";
import { isRole } from "./prompts";

export const SHIPPED_TEMPLATES: Readonly<Record<Role, string>> = {
  planner: plannerTemplate,
  executor: executorTemplate,
  reviewer: reviewerTemplate,
  patrol: patrolTemplate,
};

export interface ShippedAgentPrompt {
  slug: string;
  name: string;
  role: Role;
  description: string;
  content: string;
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/** `key: value` lines between `---` fences (the only frontmatter our prompt files use), and the rest. */
export function parseFrontmatter(text: string): { meta: Record<string, string>; body: string } {
  const match = FRONTMATTER.exec(text);
  if (!match) return { meta: {}, body: text };
  const meta: Record<string, string> = {};
  for (const line of match[1]!.split(/\r?\n/)) {
    const field = /^([A-Za-z_][A-Za-z0-9_]*):\s*(.*)$/.exec(line);
    if (field) meta[field[1]!] = field[2]!.trim().replace(/^(["'])(.*)\1$/, "$2");
  }
  return { meta, body: text.slice(match[0].length).trimStart() };
}

function agentPrompt(slug: string, file: string): ShippedAgentPrompt {
  const { meta, body } = parseFrontmatter(file);
  const role = meta.role ?? "";
  if (!isRole(role) || !meta.name)
    throw new Error(`prompts/agents/${slug}.md needs name and a valid role in its frontmatter`);
  return { slug, name: meta.name, role, description: meta.description ?? "", content: body };
}

export const SHIPPED_AGENT_PROMPTS: readonly ShippedAgentPrompt[] = [
  agentPrompt("executor-backend", executorBackend),
  agentPrompt("executor-frontend", executorFrontend),
  agentPrompt("executor-tester", executorTester),
  agentPrompt("executor-devops", executorDevops),
  agentPrompt("executor-researcher", executorResearcher),
];
