// `update`: replaces this CLI file and SKILL.md next to it with the server's current versions.
// Both are downloaded before anything is written, and each file is replaced by a rename, so a failed
// download (exit 1) or a crash midway never leaves a truncated CLI behind.
import { randomBytes } from "node:crypto";
import { chmodSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "../context";
import { CliError } from "../errors";
import { t } from "../i18n/index";
import { print } from "../output";

function replaceFile(file: string, content: string, mode: number) {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    writeFileSync(temp, content);
    // Explicitly, not through writeFileSync's mode: the umask would narrow it.
    chmodSync(temp, mode);
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new CliError(t().update.cannotWrite(file, (err as Error).message), "write_failed");
  }
}

export const updateCommand: Command = {
  name: "update",
  summary: (m) => m.update.summary,
  async run(c) {
    const cliFile = c.cliFile;
    const skillFile = path.join(path.dirname(cliFile), "SKILL.md");
    if (!c.json) print(t().update.downloading);
    const cli = await c.api.text("/api/tools/cli");
    // Guards against replacing a working CLI with an error page or a proxy's login form.
    if (!cli.startsWith("#!/usr/bin/env node"))
      throw new CliError(t().update.notTheCli(cli.slice(0, 200)), "bad_download");
    const skill = await c.api.text("/api/agents/me/skill");
    replaceFile(cliFile, cli, 0o755);
    // SKILL.md carries the API key.
    replaceFile(skillFile, skill, 0o600);
    c.show(
      { cli: cliFile, skill: skillFile, cli_bytes: Buffer.byteLength(cli), skill_bytes: Buffer.byteLength(skill) },
      () => print(t().update.cliDone(cliFile), t().update.skillDone(skillFile)),
    );
  },
};
