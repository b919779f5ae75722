// How an agent host connects over MCP (docs/mcp.md): this server's /mcp address and the config to
// paste into Claude Code, Codex or OpenClaw. Keys are never shown again after creation, so the
// snippets read the key from OPENMOSS_API_KEY; where a key has just been created or reset, it is
// filled in.
import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { CopyButton } from "../../components/copy-button";
import { mcpText } from "../../i18n/en/parts";
import { Rich } from "../../i18n/rich";
import { useApi } from "../../lib/hooks";
import type { AdminConfig } from "../../lib/types";
import { Tabs, View } from "./ui";

const CLIENTS = [
  { id: "claude", label: "Claude Code" },
  { id: "codex", label: "Codex" },
  { id: "openclaw", label: "OpenClaw" },
] as const;
type Client = (typeof CLIENTS)[number]["id"];

const ENV = "OPENMOSS_API_KEY";
const NAME = "openmoss";

/** The text to paste for one client; `key` is filled in when known, else a placeholder. */
export function mcpSnippet(client: Client, url: string, key?: string): string {
  const exportKey = `export ${ENV}='${key ?? "<API key>"}'`;
  if (client === "claude") {
    return [
      exportKey,
      `claude mcp add --transport http ${NAME} ${url} \\`,
      `  --header "Authorization: Bearer $${ENV}"`,
    ].join("\n");
  }
  if (client === "codex") {
    return [
      `# ${ENV} must be set where Codex starts`,
      exportKey,
      `codex mcp add ${NAME} --url ${url} --bearer-token-env-var ${ENV}`,
      "",
      "# or in ~/.codex/config.toml:",
      `[mcp_servers.${NAME}]`,
      `url = "${url}"`,
      `bearer_token_env_var = "${ENV}"`,
    ].join("\n");
  }
  const server = { url, transport: "streamable-http", headers: { Authorization: `Bearer \${${ENV}}` } };
  return [
    `# ${ENV} must be set where the OpenClaw gateway runs`,
    exportKey,
    `openclaw mcp set ${NAME} '${JSON.stringify(server)}'`,
    `openclaw mcp doctor ${NAME} --probe`,
  ].join("\n");
}

/** The external URL from Settings when one is set, else the address the dashboard runs at. */
const mcpUrl = (externalUrl: string | undefined) => `${(externalUrl || location.origin).replace(/\/+$/, "")}/mcp`;

export function McpConfig({ apiKey }: { apiKey?: string }) {
  const t = useStore(mcpText);
  const config = useApi<AdminConfig>("/api/admin/config");
  const [client, setClient] = useState<Client>("claude");
  return (
    <View res={config} label={t.listLabel}>
      {(c) => {
        const url = mcpUrl(c.server.external_url);
        const text = mcpSnippet(client, url, apiKey);
        return (
          <>
            <p>
              <Rich text={t.intro} parts={{ url: <code class="mono">{url}</code> }} />
            </p>
            <Tabs label={t.client} tabs={CLIENTS} current={client} onSelect={(id) => setClient(id as Client)} />
            <pre class="pre" data-testid="mcp-config">
              {text}
            </pre>
            <div class="form-actions">
              <CopyButton
                text={text}
                label={t.copyConfig({ client: CLIENTS.find((x) => x.id === client)?.label ?? "" })}
              />
            </div>
            <p class="hint">
              {apiKey ? t.keyFilled : t.keyPlaceholder} {t.seeDocs}
            </p>
          </>
        );
      }}
    </View>
  );
}
