// Enrollment tokens: issue one for a role (shown once, with a copy button), list them with their
// state, revoke. Each registers agents of its role only, up to its uses, until it expires.
import { useState } from "preact/hooks";
import { api } from "../lib/api";
import { useApi } from "../lib/hooks";
import type { EnrollmentToken, IssuedEnrollmentToken } from "../lib/types";
import { ROLES } from "../pages/parts/types";
import { FormActions, SecretOnce, Select, useAction, View } from "../pages/parts/ui";
import { Field } from "./field";
import { RelTime } from "./rel-time";

const STATE_LABELS: Record<EnrollmentToken["state"], string> = {
  active: "active",
  revoked: "revoked",
  used_up: "used up",
  expired: "expired",
};

export function EnrollmentTokens({ defaultDays }: { defaultDays: number }) {
  const list = useApi<EnrollmentToken[]>("/api/admin/enrollment-tokens");
  const [role, setRole] = useState<string>("executor");
  const [uses, setUses] = useState("1");
  const [days, setDays] = useState(String(defaultDays));
  const [label, setLabel] = useState("");
  const [issued, setIssued] = useState<IssuedEnrollmentToken | null>(null);
  const issue = useAction();
  const revoke = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    void issue.run(async () => {
      const body = { role, max_uses: Number(uses), expires_in_days: Number(days), label: label.trim() };
      setIssued(await api<IssuedEnrollmentToken>("/api/admin/enrollment-tokens", { method: "POST", body }));
      list.reload();
    });
  };
  const revokeToken = (t: EnrollmentToken) => {
    if (!window.confirm(`Revoke ${t.prefix}…? Agents not yet registered with it will need a new token.`)) return;
    void revoke.run(async () => {
      await api(`/api/admin/enrollment-tokens/${encodeURIComponent(t.id)}`, { method: "DELETE" });
      list.reload();
    });
  };

  return (
    <section class="section-gap-top" aria-labelledby="enrollment-title">
      <h3 id="enrollment-title" class="h3">
        Enrollment tokens
      </h3>
      <p class="hint">
        A token registers agents of one role only, as often as its uses allow, until it expires. Prompts → “Issue a
        one-time token” makes one for you.
      </p>
      <form onSubmit={submit} aria-label="Issue an enrollment token">
        <div class="grid grid-3">
          <Select label="Token role" value={role} options={ROLES} all={null} onChange={setRole} />
          <Field label="Uses">
            {(id) => (
              <input
                id={id}
                type="number"
                min={1}
                max={1000}
                required
                value={uses}
                onInput={(e) => setUses(e.currentTarget.value)}
              />
            )}
          </Field>
          <Field label="Valid for (days)">
            {(id) => (
              <input
                id={id}
                type="number"
                min={1}
                max={365}
                required
                value={days}
                onInput={(e) => setDays(e.currentTarget.value)}
              />
            )}
          </Field>
          <Field label="Label (optional)">
            {(id) => <input id={id} maxLength={200} value={label} onInput={(e) => setLabel(e.currentTarget.value)} />}
          </Field>
        </div>
        <FormActions busy={issue.busy} error={issue.error} submit="Issue token" busyLabel="Issuing…" />
      </form>
      {issued ? (
        <SecretOnce
          label={`Enrollment token for a ${issued.role} (${issued.max_uses} use${issued.max_uses === 1 ? "" : "s"})`}
          value={issued.token}
        />
      ) : null}
      {revoke.error ? (
        <p class="notice notice-error" role="alert">
          {revoke.error}
        </p>
      ) : null}
      <View res={list} label="the enrollment tokens">
        {(tokens) =>
          tokens.length === 0 ? (
            <p class="muted">No enrollment tokens yet.</p>
          ) : (
            <table class="table" aria-label="Enrollment tokens">
              <thead>
                <tr>
                  <th scope="col">Token</th>
                  <th scope="col">Role</th>
                  <th scope="col">Label</th>
                  <th scope="col">Uses</th>
                  <th scope="col">Expires</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id} data-testid="enrollment-row">
                    <td>
                      <code class="mono">{t.prefix}…</code>
                    </td>
                    <td data-label="Role">{t.role}</td>
                    <td data-label="Label" class="wrap">
                      {t.label || <span class="muted">—</span>}
                    </td>
                    <td data-label="Uses">
                      {t.uses} / {t.max_uses}
                    </td>
                    <td data-label="Expires">
                      <RelTime value={t.expires_at} />
                    </td>
                    <td data-label="State">{STATE_LABELS[t.state]}</td>
                    <td>
                      {t.state === "active" ? (
                        <button
                          type="button"
                          class="btn btn-danger"
                          onClick={() => revokeToken(t)}
                          disabled={revoke.busy}
                        >
                          Revoke
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </View>
    </section>
  );
}
