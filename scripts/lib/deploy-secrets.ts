// The Worker's two generated secrets and their local copy.
//
// SETUP_TOKEN lets the operator run the setup wizard once; PASSWORD_PEPPER keys the admin password
// hashes (docs/security.md) and must never change. Both are generated here the first time, kept in
// a git-ignored file readable only by its owner (the operator needs the token; the pepper's only
// backup is this file), and uploaded only while the Worker lacks them. A secret the Worker already
// has is never touched: re-uploading a stale local copy over a pepper set elsewhere would lock every
// admin out.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { root } from "./wrangler.ts";

export const SECRET_NAMES = ["SETUP_TOKEN", "PASSWORD_PEPPER"] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/** Where the generated values live; .gitignore lists it. DEPLOY_SECRETS_FILE puts it elsewhere (outside the clone). */
export const SECRETS_FILE = path.resolve(root, process.env.DEPLOY_SECRETS_FILE || ".deploy-secrets.env");

/** 32 random bytes, URL-safe base64: 256 bits, nothing a shell or a dotenv parser would expand. */
export function newSecretValue(): string {
  return randomBytes(32).toString("base64url");
}

/** The KEY=value lines of the local file (comments and unknown keys ignored); empty if it does not exist. */
export function readLocalSecrets(file = SECRETS_FILE): Map<SecretName, string> {
  const values = new Map<SecretName, string>();
  if (!existsSync(file)) return values;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^\s*([A-Z_]+)\s*=\s*(\S+)\s*$/.exec(line);
    const name = SECRET_NAMES.find((n) => n === match?.[1]);
    if (name && match?.[2]) values.set(name, match[2]);
  }
  return values;
}

const HEADER = `# The Worker's secrets, written by \`npm run deploy\`. Git-ignored; readable by you only (mode 0600).
#
# SETUP_TOKEN: the setup wizard asks for it once (or send it as X-Setup-Token to POST /api/setup/initialize).
#
# PASSWORD_PEPPER: KEEP A BACKUP OF THIS FILE. The admin password hashes are keyed with this value.
# If it is lost or changed, no admin can log in until the same value is set again
# (npx wrangler secret put PASSWORD_PEPPER). Never change it on a running install.
`;

/** Writes the values with the warning header, mode 0600 (also when the file already existed). */
export function writeLocalSecrets(values: Map<SecretName, string>, file = SECRETS_FILE): void {
  const lines = SECRET_NAMES.filter((n) => values.has(n)).map((n) => `${n}=${values.get(n)}`);
  writeFileSync(file, `${HEADER}\n${lines.join("\n")}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // writeFileSync's mode applies only to a new file
}

export type SecretPlan =
  | { name: SecretName; action: "keep"; inLocalFile: boolean }
  | { name: SecretName; action: "upload"; value: string; from: "local file" | "new" };

/**
 * What to do with each secret: keep the ones the Worker has; upload the others, reusing the local
 * file's value when a previous run wrote one but never got to upload it (so a retry after a failed
 * deploy does not leave two different tokens around).
 */
export function planSecrets(onWorker: ReadonlySet<string>, local: ReadonlyMap<SecretName, string>): SecretPlan[] {
  return SECRET_NAMES.map((name): SecretPlan => {
    if (onWorker.has(name)) return { name, action: "keep", inLocalFile: local.has(name) };
    const saved = local.get(name);
    return saved
      ? { name, action: "upload", value: saved, from: "local file" }
      : { name, action: "upload", value: newSecretValue(), from: "new" };
  });
}
