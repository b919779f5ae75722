// `version`: which CLI this is and which server it talks to (works without any configuration).
import { version as PACKAGE_VERSION } from "../../../package.json";
import type { Command } from "../context";
import { print } from "../output";
import { CLI_VERSION } from "../version";

export const versionCommand: Command = {
  name: "version",
  summary: "Show the CLI version and the server address in use",
  needs: "nothing",
  async run(c) {
    const base = c.config.baseUrl;
    // CLI_VERSION is the update protocol's number; PACKAGE_VERSION the release, as the server reports it.
    c.show(
      {
        version: CLI_VERSION,
        package_version: PACKAGE_VERSION,
        base_url: base ?? null,
        key_file: c.config.keyFile ?? null,
      },
      () =>
        print(
          `task-cli v${CLI_VERSION} (OpenMOSS Edge ${PACKAGE_VERSION})`,
          `Base URL: ${base ?? "(not configured)"}`,
          ...(c.config.keyFile ? [`Key file: ${c.config.keyFile}`] : []),
        ),
    );
  },
};
