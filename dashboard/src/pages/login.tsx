import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { Field } from "../components/field";
import { LanguageSwitch } from "../components/language-switch";
import { Notice } from "../components/states";
import { loginText } from "../i18n/en/login";
import { api, setToken } from "../lib/api";
import { useTitle } from "../lib/hooks";
import type { AdminLogin } from "../lib/types";

/** Only same-site paths are followed after login. */
function safeNext(next: string | undefined): string {
  return next?.startsWith("/") && !next.startsWith("//") && !next.startsWith("/login") ? next : "/overview";
}

export default function LoginPage() {
  const t = useStore(loginText);
  useTitle(t.title);
  const { query, route } = useLocation();
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!password) {
      setError(t.enterPassword);
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
      <div class="auth-lang">
        <LanguageSwitch />
      </div>
      <h1 id="login-title">
        <span class="brand-mark" aria-hidden="true">
          M
        </span>{" "}
        OpenMOSS Edge
      </h1>
      {query.from === "setup" ? <Notice kind="ok">{t.setupDone}</Notice> : null}
      {query.reason === "password" ? <Notice kind="ok">{t.passwordChanged}</Notice> : null}
      <form onSubmit={submit} noValidate>
        <Field label={t.password}>
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
            {busy ? t.loggingIn : t.logIn}
          </button>
        </div>
      </form>
      <details class="hint-box">
        <summary>{t.forgot}</summary>
        <p>{t.forgotHelp}</p>
      </details>
    </section>
  );
}
