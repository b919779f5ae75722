// Enrollment tokens: issue one for a role (shown once, with a copy button), list them with their
// state, revoke. Each registers agents of its role only, up to its uses, until it expires.
import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { roleLabels } from "../i18n/en/enums";
import { enrollmentStateText, enrollmentText } from "../i18n/en/parts";
import { api } from "../lib/api";
import { labelOf } from "../lib/format";
import { useApi } from "../lib/hooks";
import type { EnrollmentToken, IssuedEnrollmentToken } from "../lib/types";
import { ROLES } from "../pages/parts/types";
import { FormActions, SecretOnce, Select, useAction, View } from "../pages/parts/ui";
import { Field } from "./field";
import { RelTime } from "./rel-time";

export function EnrollmentTokens({ defaultDays }: { defaultDays: number }) {
  const t = useStore(enrollmentText);
  const roles = useStore(roleLabels);
  const states = useStore(enrollmentStateText);
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
  const revokeToken = (token: EnrollmentToken) => {
    if (!window.confirm(t.confirmRevoke({ prefix: token.prefix }))) return;
    void revoke.run(async () => {
      await api(`/api/admin/enrollment-tokens/${encodeURIComponent(token.id)}`, { method: "DELETE" });
      list.reload();
    });
  };

  return (
    <section class="section-gap-top" aria-labelledby="enrollment-title">
      <h3 id="enrollment-title" class="h3">
        {t.title}
      </h3>
      <p class="hint">{t.intro}</p>
      <form onSubmit={submit} aria-label={t.issueForm}>
        <div class="grid grid-3">
          <Select label={t.tokenRole} value={role} options={ROLES} labels={roles} all={null} onChange={setRole} />
          <Field label={t.uses}>
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
          <Field label={t.validDays}>
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
          <Field label={t.labelOptional}>
            {(id) => <input id={id} maxLength={200} value={label} onInput={(e) => setLabel(e.currentTarget.value)} />}
          </Field>
        </div>
        <FormActions busy={issue.busy} error={issue.error} submit={t.issue} busyLabel={t.issuing} />
      </form>
      {issued ? (
        <SecretOnce
          label={t.issuedLabel({ role: labelOf(roles, issued.role), uses: t.usesCount(issued.max_uses) })}
          value={issued.token}
        />
      ) : null}
      {revoke.error ? (
        <p class="notice notice-error" role="alert">
          {revoke.error}
        </p>
      ) : null}
      <View res={list} label={t.listLabel}>
        {(tokens) =>
          tokens.length === 0 ? (
            <p class="muted">{t.none}</p>
          ) : (
            <table class="table" aria-label={t.title}>
              <thead>
                <tr>
                  <th scope="col">{t.token}</th>
                  <th scope="col">{t.role}</th>
                  <th scope="col">{t.label}</th>
                  <th scope="col">{t.uses}</th>
                  <th scope="col">{t.expires}</th>
                  <th scope="col">{t.state}</th>
                  <th scope="col">
                    <span class="sr-only">{t.actions}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <tr key={token.id} data-testid="enrollment-row">
                    <td>
                      <code class="mono">{token.prefix}…</code>
                    </td>
                    <td data-label={t.role}>{labelOf(roles, token.role)}</td>
                    <td data-label={t.label} class="wrap" data-i18n-skip>
                      {token.label || <span class="muted">—</span>}
                    </td>
                    <td data-label={t.uses}>
                      {token.uses} / {token.max_uses}
                    </td>
                    <td data-label={t.expires}>
                      <RelTime value={token.expires_at} />
                    </td>
                    <td data-label={t.state}>{states[token.state]}</td>
                    <td>
                      {token.state === "active" ? (
                        <button
                          type="button"
                          class="btn btn-danger"
                          onClick={() => revokeToken(token)}
                          disabled={revoke.busy}
                        >
                          {t.revoke}
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
