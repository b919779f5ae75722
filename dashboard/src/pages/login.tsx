import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { Field } from "../components/field";
import { Notice } from "../components/states";
import { api, setToken } from "../lib/api";
import { useTitle } from "../lib/hooks";
import type { AdminLogin } from "../lib/types";

/** Only same-site paths are followed after login. */
function safeNext(next: string | undefined): string {
  return next?.startsWith("/") && !next.startsWith("//") && !next.startsWith("/login") ? next : "/overview";
}

export default function LoginPage() {
  useTitle("Log in");
  const { query, route } = useLocation();
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!password) {
      setError("Enter the admin password.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await api<AdminLogin>("/api/admin/login", {
        method: "POST",
        admin: false,
        body: { password },
      });
      setToken(res.token);
      route(safeNext(query.next));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <section class="auth-card" aria-labelledby="login-title">
      <h1 id="login-title">
        <span class="brand-mark" aria-hidden="true">
          M
        </span>{" "}
        OpenMOSS Edge
      </h1>
      {query.from === "setup" ? (
        <Notice kind="ok">Setup is complete. Log in with the password you chose.</Notice>
      ) : null}
      {query.reason === "password" ? <Notice kind="ok">Password changed. Log in with the new one.</Notice> : null}
      <form onSubmit={submit} noValidate>
        <Field label="Admin password">
          {(id) => (
            <input
              id={id}
              type="password"
              name="password"
              autoComplete="current-password"
              // biome-ignore lint/a11y/noAutofocus: signing in is the only thing this page is for.
              autoFocus
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        {error ? <Notice kind="error">{error}</Notice> : null}
        <div class="form-actions">
          <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
            {busy ? "Logging in…" : "Log in"}
          </button>
        </div>
      </form>
      <details class="hint-box">
        <summary>Forgot the password?</summary>
        <p>
          There is no reset link. While logged in, change it under Settings → Password. If it is lost, an operator with
          access to the Worker's D1 database has to reset it.
        </p>
      </details>
    </section>
  );
}
