// `version`: which CLI this is and which server it talks to (works without any configuration).
import type { Command } from "../context";
import { print } from "../output";
import { CLI_VERSION } from "../version";

export const versionCommand: Command = {
  name: "version",
  summary: "Show the CLI version and the server address in use",
  needs: "nothing",
  async run(c) {
    const base = c.config.baseUrl;
    c.show({ version: CLI_VERSION, base_url: base ?? null, key_file: c.config.keyFile ?? null }, () =>
      print(`task-cli v${CLI_VERSION}`, `Base URL: ${base ?? "(not configured)"}`, ...(c.config.keyFile ? [`Key file: ${c.config.keyFile}`] : [])),
    );
  },
};
