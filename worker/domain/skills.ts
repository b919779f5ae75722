// What an agent downloads: the task CLI with this server's address baked in, its role's SKILL.md with
// its own key filled in, and both zipped together with a key file so the CLI runs without --key.
// Pure: no I/O (the zip is built in memory).
import { strToU8, zipSync } from "fflate";
import { DEFAULT_LANGUAGE, type Language } from "../../contract/languages";
import type { Role } from "../../contract/vocabulary";
import executorSkill from "../../skills/task-executor-skill/SKILL.md";
import executorSkillZh from "../../skills/task-executor-skill/SKILL.zh-CN.md";
import patrolSkill from "../../skills/task-patrol-skill/SKILL.md";
import patrolSkillZh from "../../skills/task-patrol-skill/SKILL.zh-CN.md";
import plannerSkill from "../../skills/task-planner-skill/SKILL.md";
import plannerSkillZh from "../../skills/task-planner-skill/SKILL.zh-CN.md";
import reviewerSkill from "../../skills/task-reviewer-skill/SKILL.md";
import reviewerSkillZh from "../../skills/task-reviewer-skill/SKILL.zh-CN.md";
import { CLI_FILENAME, KEY_FILE } from "./cli-command";
import { fillPlaceholders } from "./prompts";

/** Each role's SKILL.md in each language; an agent's download is always named SKILL.md. */
export const SKILL_TEMPLATES: Readonly<Record<Language, Readonly<Record<Role, string>>>> = {
  en: { planner: plannerSkill, executor: executorSkill, reviewer: reviewerSkill, patrol: patrolSkill },
  "zh-CN": { planner: plannerSkillZh, executor: executorSkillZh, reviewer: reviewerSkillZh, patrol: patrolSkillZh },
};

/** Where a role's files live, in the bundle and on the agent's disk. */
export const skillFolder = (role: Role): string => `task-${role}-skill`;

export interface SkillValues {
  /** The caller's API key, or a placeholder text when packing bundles for nobody in particular. */
  apiKey: string;
  /** Public base URL of this server, without a trailing slash. */
  baseUrl: string;
  agentName: string;
  projectName: string;
}

/**
 * The role's SKILL.md in `lang` with `{{api_key}}`, `{{base_url}}`, `{{agent_name}}` and
 * `{{project_name}}` filled in (English by default: scripts/pack-skills.ts packs the English bundles).
 */
export const renderSkill = (role: Role, values: SkillValues, lang: Language = DEFAULT_LANGUAGE): string =>
  fillPlaceholders(SKILL_TEMPLATES[lang][role], {
    api_key: values.apiKey,
    base_url: values.baseUrl,
    agent_name: values.agentName,
    project_name: values.projectName,
  });

/**
 * The built CLI with one of its placeholder literals (the base URL, the project language) replaced by
 * the (JSON-quoted) real value.
 */
export function cliForServer(source: string, placeholder: string, value: string): string {
  return source.replace(JSON.stringify(placeholder), () => JSON.stringify(value));
}

/** The key file: the key line is commented out when there is no real key to put in it. */
export function keyFile(baseUrl: string, apiKey: string | null): string {
  return [
    "# Read by task-cli.mjs when neither --key nor OPENMOSS_API_KEY is given. Keep this file private.",
    apiKey ? `OPENMOSS_API_KEY=${apiKey}` : "# OPENMOSS_API_KEY=<paste your API key here>",
    `OPENMOSS_BASE_URL=${baseUrl}`,
    "",
  ].join("\n");
}

export interface BundleInput {
  role: Role;
  skill: string;
  cli: string;
  keyFile: string;
  /** Fixed so that the same input gives the same bytes. */
  modified: Date;
}

/** `task-<role>-skill/{SKILL.md, task-cli.mjs, OPENMOSS-AGENT.env}` as a deflated zip. */
export function skillBundle(input: BundleInput): Uint8Array {
  const folder = skillFolder(input.role);
  const mtime = input.modified;
  return zipSync(
    {
      [folder]: {
        "SKILL.md": [strToU8(input.skill), { mtime }],
        // Unix mode 0755 in the upper half of the external attributes, so `unzip` keeps it executable.
        [CLI_FILENAME]: [strToU8(input.cli), { mtime, os: 3, attrs: 0o100755 << 16 }],
        [KEY_FILE]: [strToU8(input.keyFile), { mtime, os: 3, attrs: 0o100600 << 16 }],
      },
    },
    { level: 9 },
  );
}
