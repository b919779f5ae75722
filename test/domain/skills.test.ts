import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import {
  cliForServer,
  keyFile,
  renderSkill,
  SKILL_TEMPLATES,
  skillBundle,
  skillFolder,
} from "../../worker/domain/skills";

const P = "__OPENMOSS_BASE_URL__";

describe("cliForServer", () => {
  it("replaces the JSON-quoted placeholder with the JSON-quoted URL, and nothing else", () => {
    const source = `#!/usr/bin/env node\n// mentions ${P} in a comment\nconst BASE = "${P}";\nconst other = '${P}';\n`;
    const out = cliForServer(source, P, "https://moss.example/api-root");
    expect(out).toBe(
      `#!/usr/bin/env node\n// mentions ${P} in a comment\nconst BASE = "https://moss.example/api-root";\nconst other = '${P}';\n`,
    );
  });

  it("inserts the URL literally: $& and $1 are not replacement patterns, quotes and backslashes are escaped", () => {
    const source = `const BASE = "${P}";`;
    expect(cliForServer(source, P, "https://x.example/$&/$1/$$")).toBe(`const BASE = "https://x.example/$&/$1/$$";`);
    expect(cliForServer(source, P, `https://x.example/"a\\b`)).toBe(`const BASE = "https://x.example/\\"a\\\\b";`);
  });

  it("leaves a source without the quoted placeholder unchanged", () => {
    expect(cliForServer(`const BASE = ${P};`, P, "https://x.example")).toBe(`const BASE = ${P};`);
  });
});

describe("keyFile", () => {
  it("holds the key and base URL", () => {
    expect(keyFile("https://moss.example", "ak_123")).toBe(
      "# Read by task-cli.mjs when neither --key nor OPENMOSS_API_KEY is given. Keep this file private.\n" +
        "OPENMOSS_API_KEY=ak_123\nOPENMOSS_BASE_URL=https://moss.example\n",
    );
  });

  it("comments the key line out when there is no key", () => {
    for (const key of [null, ""]) {
      const text = keyFile("https://moss.example", key);
      expect(text).toContain("\n# OPENMOSS_API_KEY=<paste your API key here>\n");
      expect(text).not.toMatch(/^OPENMOSS_API_KEY=/m);
      expect(text).toMatch(/^OPENMOSS_BASE_URL=https:\/\/moss\.example$/m);
    }
  });
});

/** Bytes read on every wake-up: Chinese takes 3 bytes a character, so its cap is 1.2 × the English one. */
const SKILL_BYTE_CAP = { en: 6_500, "zh-CN": 7_800 } as const;

describe("SKILL.md", () => {
  it("stays short in each language: every byte is read on every wake-up", () => {
    for (const lang of ["en", "zh-CN"] as const) {
      for (const role of ["planner", "executor", "reviewer", "patrol"] as const) {
        const bytes = new TextEncoder().encode(SKILL_TEMPLATES[lang][role]).length;
        expect(bytes, `${lang} ${role}`).toBeLessThanOrEqual(SKILL_BYTE_CAP[lang]);
      }
    }
  });

  it("is Chinese for zh-CN and English for en, with the same skill name", () => {
    for (const role of ["planner", "executor", "reviewer", "patrol"] as const) {
      expect(SKILL_TEMPLATES["zh-CN"][role]).toMatch(/[\u4e00-\u9fff]/);
      expect(SKILL_TEMPLATES.en[role]).not.toMatch(/[\u4e00-\u9fff]/);
      const values = { apiKey: "ak_1", baseUrl: "https://m.example", agentName: "a", projectName: "p" };
      expect(renderSkill(role, values)).toBe(renderSkill(role, values, "en"));
      expect(renderSkill(role, values, "zh-CN").startsWith(`---\nname: task-${role}-skill\n`)).toBe(true);
      expect(renderSkill(role, values, "zh-CN")).toContain("`ak_1`");
    }
  });
});

describe("renderSkill", () => {
  it.each(["en", "zh-CN"] as const)(
    "fills every placeholder of each role's %s SKILL.md in one pass, values verbatim",
    (lang) => {
      const values: Record<string, string> = {
        api_key: "ak_$&",
        base_url: "https://m.example",
        agent_name: "名前 🚀",
        project_name: "{{api_key}}",
      };
      for (const role of ["planner", "executor", "reviewer", "patrol"] as const) {
        const template = SKILL_TEMPLATES[lang][role];
        for (const name of Object.keys(values)) expect(template, `${role} uses {{${name}}}`).toContain(`{{${name}}}`);
        const out = renderSkill(
          role,
          {
            apiKey: values.api_key!,
            baseUrl: values.base_url!,
            agentName: values.agent_name!,
            projectName: values.project_name!,
          },
          lang,
        );
        expect(out).toBe(
          template.replace(/\{\{(api_key|base_url|agent_name|project_name)\}\}/g, (_m, name: string) => values[name]!),
        );
        expect(out.startsWith(`---\nname: task-${role}-skill\n`)).toBe(true);
        expect(out).toContain("`ak_$&`");
        expect(out).not.toContain("{{base_url}}");
        expect(out).not.toContain("{{agent_name}}");
        expect(out).not.toContain("{{project_name}}");
      }
    },
  );
});

/** Each central-directory entry's name, "version made by" host byte and external attributes. */
function centralDirectory(zip: Uint8Array): { name: string; host: number; attrs: number }[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const out: { name: string; host: number; attrs: number }[] = [];
  for (let i = 0; i + 46 <= zip.length; ) {
    if (view.getUint32(i, true) !== 0x02014b50) {
      i++;
      continue;
    }
    const nameLength = view.getUint16(i + 28, true);
    const extraLength = view.getUint16(i + 30, true);
    const commentLength = view.getUint16(i + 32, true);
    out.push({
      name: strFromU8(zip.subarray(i + 46, i + 46 + nameLength)),
      host: view.getUint8(i + 5),
      attrs: view.getUint32(i + 38, true),
    });
    i += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

describe("skillBundle", () => {
  const input = {
    role: "reviewer" as const,
    skill: "---\nname: task-reviewer-skill\n---\n# 评审 ✅\n",
    cli: "#!/usr/bin/env node\nconsole.log('hi');\n",
    keyFile: keyFile("https://m.example", "ak_1"),
    modified: new Date("2026-03-04T05:06:08Z"),
  };

  it("round-trips the three files under task-<role>-skill/", () => {
    const files = unzipSync(skillBundle(input));
    // fflate also writes an entry for the folder itself.
    expect(Object.keys(files).sort()).toEqual([
      "task-reviewer-skill/",
      "task-reviewer-skill/OPENMOSS-AGENT.env",
      "task-reviewer-skill/SKILL.md",
      "task-reviewer-skill/task-cli.mjs",
    ]);
    expect(files["task-reviewer-skill/"]).toHaveLength(0);
    expect(strFromU8(files["task-reviewer-skill/SKILL.md"]!)).toBe(input.skill);
    expect(strFromU8(files["task-reviewer-skill/task-cli.mjs"]!)).toBe(input.cli);
    expect(strFromU8(files["task-reviewer-skill/OPENMOSS-AGENT.env"]!)).toBe(input.keyFile);
    expect(skillFolder("planner")).toBe("task-planner-skill");
  });

  it("marks the CLI executable (0755) and the key file private (0600) in the Unix external attributes", () => {
    const entries = centralDirectory(skillBundle(input));
    const byName = Object.fromEntries(entries.map((e) => [e.name, e]));
    const cli = byName["task-reviewer-skill/task-cli.mjs"]!;
    expect(cli.host).toBe(3);
    expect((cli.attrs >>> 16) & 0o777).toBe(0o755);
    expect(cli.attrs >>> 16).toBe(0o100755);
    const env = byName["task-reviewer-skill/OPENMOSS-AGENT.env"]!;
    expect(env.host).toBe(3);
    expect(env.attrs >>> 16).toBe(0o100600);
    expect(byName["task-reviewer-skill/SKILL.md"]).toBeDefined();
  });

  it("gives the same bytes for the same input, different bytes for a different time", () => {
    const a = skillBundle(input);
    expect(skillBundle({ ...input })).toEqual(a);
    expect(skillBundle({ ...input, modified: new Date("2026-03-04T05:06:10Z") })).not.toEqual(a);
  });
});
