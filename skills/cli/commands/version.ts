// `version`: which CLI this is and which server it talks to (works without any configuration).
import { version as PACKAGE_VERSION } from "../../../package.json";
import type { Command } from "../context";
import { t } from "../i18n/index";
import { print } from "../output";
import { CLI_VERSION } from "../version";

export const versionCommand: Command = {
  name: "version",
  summary: (m) => m.version.summary,
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
      () => {
        const m = t().version;
        print(
          `task-cli v${CLI_VERSION} (OpenMOSS Edge ${PACKAGE_VERSION})`,
          m.baseUrl(base ?? m.notConfigured),
          ...(c.config.keyFile ? [m.keyFile(c.config.keyFile)] : []),
        );
      },
    );
  },
};
