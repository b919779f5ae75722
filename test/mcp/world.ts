// The server the node-side suites share (the cli project of vitest.config.ts starts one `wrangler dev` for all its
// files, which run one after another, the CLI files first). Whoever comes first initializes it with
// these credentials; the others log in with them. No Node or vitest imports: test/cli imports it too.

export const SUITE_ADMIN_PASSWORD = "cli-scenario-admin";
export const SUITE_REGISTRATION_TOKEN = "cli-scenario-registration";
/** The scenario registers every role with the global token (a new install allows executor only). */
export const SUITE_REGISTRATION_ROLES = ["planner", "executor", "reviewer", "patrol"];

export interface CreatedAgent {
  id: string;
  name: string;
  role: string;
  api_key: string;
}

async function post<T>(baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path} → ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Initializes the server unless another suite already did, then logs in; returns the admin token. */
export async function adminSession(baseUrl: string, setupToken: string): Promise<string> {
  const status = (await (await fetch(`${baseUrl}/api/setup/status`)).json()) as { initialized: boolean };
  if (!status.initialized) {
    await post(
      baseUrl,
      "/api/setup/initialize",
      {
        admin_password: SUITE_ADMIN_PASSWORD,
        project_name: "CLI scenario",
        workspace_root: "/ws",
        registration_token: SUITE_REGISTRATION_TOKEN,
        registration_roles: SUITE_REGISTRATION_ROLES,
      },
      { "x-setup-token": setupToken },
    );
  }
  return (await post<{ token: string }>(baseUrl, "/api/admin/login", { password: SUITE_ADMIN_PASSWORD })).token;
}

/** An agent created by the admin (its key is in the answer, once). */
export const createAgent = (baseUrl: string, adminToken: string, name: string, role: string) =>
  post<CreatedAgent>(
    baseUrl,
    "/api/admin/agents",
    { name, role, description: `${role} driven over MCP` },
    { "x-admin-token": adminToken },
  );
