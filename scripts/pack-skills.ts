// `npm run pack-skills [-- --base-url https://moss.example.com]`: writes skills/dist/task-<role>-skill.zip
// for the four roles — the same bundles GET /api/agents/me/skill-bundle serves, built by the same code
// (worker/domain/skills.ts), but for no agent in particular: the key file has a commented key line
// and SKILL.md a placeholder, for an operator who hands bundles out by hand.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { "base-url": { type: "string" }, project: { type: "string" } } });
const baseUrl = (values["base-url"] ?? process.env.OPENMOSS_BASE_URL ?? "http://localhost:8787").replace(/\/+$/, "");
const projectName = values.project ?? "OpenMOSS";

// Bundle the Worker's own skill code (Markdown as text) and load it here: one implementation for both.
const built = await esbuild.build({
  stdin: {
    contents:
      'export * from "./worker/domain/skills.ts"; export * from "./worker/generated/cli.ts"; export { ROLES } from "./contract/vocabulary.ts";',
    resolveDir: root,
    loader: "ts",
  },
  bundle: true,
  write: false,
  format: "esm",
  platform: "node",
  loader: { ".md": "text" },
  logLevel: "error",
});
/** What this script uses of the bundle (worker/domain/skills.ts, worker/generated/cli.ts, ROLES). */
interface SkillCode {
  ROLES: readonly string[];
  CLI_SOURCE: string;
  CLI_BASE_URL_PLACEHOLDER: string;
  cliForServer(source: string, placeholder: string, baseUrl: string): string;
  renderSkill(
    role: string,
    values: { apiKey: string; baseUrl: string; agentName: string; projectName: string },
  ): string;
  skillBundle(input: { role: string; skill: string; cli: string; keyFile: string; modified: Date }): Uint8Array;
  keyFile(baseUrl: string, apiKey: string | null): string;
  skillFolder(role: string): string;
}
const bundle = built.outputFiles[0]!.text; // write: false, one entry: one output file
const skills: SkillCode = await import(`data:text/javascript;base64,${Buffer.from(bundle).toString("base64")}`);

const out = path.join(root, "skills", "dist");
mkdirSync(out, { recursive: true });
const cli = skills.cliForServer(skills.CLI_SOURCE, skills.CLI_BASE_URL_PLACEHOLDER, baseUrl);
for (const role of skills.ROLES) {
  const skill = skills.renderSkill(role, {
    apiKey: "<your API key>",
    baseUrl,
    agentName: `<your ${role} agent>`,
    projectName,
  });
  const zip = skills.skillBundle({ role, skill, cli, keyFile: skills.keyFile(baseUrl, null), modified: new Date() });
  const file = path.join(out, `${skills.skillFolder(role)}.zip`);
  writeFileSync(file, zip);
  console.log(`${path.relative(root, file)}  ${(zip.length / 1024).toFixed(1)} KB`);
}
console.log(`server address in the bundles: ${baseUrl} (change with --base-url)`);
