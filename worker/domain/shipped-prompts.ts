// The texts that ship with the server, each in every language (issue 17): the default global rule, the
// four role templates and the example executor specialisations. Setup copies one language's set into
// D1 once; from then on the database copy is the one admins edit (or switch: domain/shipped-texts.ts).

import type { Language } from "../../contract/languages";
import type { Role } from "../../contract/vocabulary";
import executorBackend from "../../prompts/agents/executor-backend.md";
import executorBackendZh from "../../prompts/agents/executor-backend.zh-CN.md";
import executorDevops from "../../prompts/agents/executor-devops.md";
import executorDevopsZh from "../../prompts/agents/executor-devops.zh-CN.md";
import executorFrontend from "../../prompts/agents/executor-frontend.md";
import executorFrontendZh from "../../prompts/agents/executor-frontend.zh-CN.md";
import executorResearcher from "../../prompts/agents/executor-researcher.md";
import executorResearcherZh from "../../prompts/agents/executor-researcher.zh-CN.md";
import executorTester from "../../prompts/agents/executor-tester.md";
import executorTesterZh from "../../prompts/agents/executor-tester.zh-CN.md";
import executorTemplate from "../../prompts/templates/executor.md";
import executorTemplateZh from "../../prompts/templates/executor.zh-CN.md";
import patrolTemplate from "../../prompts/templates/patrol.md";
import patrolTemplateZh from "../../prompts/templates/patrol.zh-CN.md";
import plannerTemplate from "../../prompts/templates/planner.md";
import plannerTemplateZh from "../../prompts/templates/planner.zh-CN.md";
import reviewerTemplate from "../../prompts/templates/reviewer.md";
import reviewerTemplateZh from "../../prompts/templates/reviewer.zh-CN.md";
import globalRule from "../../rules/global-rule.md";
import globalRuleZh from "../../rules/global-rule.zh-CN.md";
import { isRole } from "./prompts";

export const SHIPPED_GLOBAL_RULE: Readonly<Record<Language, string>> = { en: globalRule, "zh-CN": globalRuleZh };

export const SHIPPED_TEMPLATES: Readonly<Record<Language, Readonly<Record<Role, string>>>> = {
  en: { planner: plannerTemplate, executor: executorTemplate, reviewer: reviewerTemplate, patrol: patrolTemplate },
  "zh-CN": {
    planner: plannerTemplateZh,
    executor: executorTemplateZh,
    reviewer: reviewerTemplateZh,
    patrol: patrolTemplateZh,
  },
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

/** The same slugs, in the same order, in every language: a slug is what a switch matches rows by. */
export const SHIPPED_AGENT_PROMPTS: Readonly<Record<Language, readonly ShippedAgentPrompt[]>> = {
  en: [
    agentPrompt("executor-backend", executorBackend),
    agentPrompt("executor-frontend", executorFrontend),
    agentPrompt("executor-tester", executorTester),
    agentPrompt("executor-devops", executorDevops),
    agentPrompt("executor-researcher", executorResearcher),
  ],
  "zh-CN": [
    agentPrompt("executor-backend", executorBackendZh),
    agentPrompt("executor-frontend", executorFrontendZh),
    agentPrompt("executor-tester", executorTesterZh),
    agentPrompt("executor-devops", executorDevopsZh),
    agentPrompt("executor-researcher", executorResearcherZh),
  ],
};
