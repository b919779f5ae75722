import { useStore } from "@nanostores/preact";
import { useEffect, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { CopyButton } from "../components/copy-button";
import { Field } from "../components/field";
import { LanguageSwitch } from "../components/language-switch";
import { ProjectLanguage } from "../components/project-language";
import { RoleChecks } from "../components/role-checks";
import { ErrorState, Loading, Notice } from "../components/states";
import { type Language, language } from "../i18n";
import { roleLabels } from "../i18n/en/enums";
import { setupText } from "../i18n/en/setup";
import { Rich } from "../i18n/rich";
import { ApiError, api } from "../lib/api";
import { labelOf } from "../lib/format";
import { useTitle } from "../lib/hooks";
import { randomToken } from "../lib/random";
import { loadSetupStatus, updateSetupStatus } from "../lib/setup-status";
import type { SetupInitialized } from "../lib/types";

/** The wizard's steps, named by their key in the setup texts. */
const STEPS = ["stepToken", "stepPassword", "stepProject", "stepAgents"] as const;

interface Draft {
  setupToken: string;
  password: string;
  confirm: string;
  projectName: string;
  workspaceRoot: string;
  registrationToken: string;
  allowRegistration: boolean;
  registrationRoles: string[];
  externalUrl: string;
  language: Language;
}

/** First-run wizard: POST /api/setup/initialize with the X-Setup-Token the deployer typed. */
export default function SetupPage() {
  const t = useStore(setupText);
  const roles = useStore(roleLabels);
  useTitle(t.title);
  const { route } = useLocation();
  const [phase, setPhase] = useState<"checking" | "wizard" | "error">("checking");
  const [loadError, setLoadError] = useState<unknown>(null);
  const [step, setStep] = useState(0);
  const [draft, setDraft] = useState<Draft>({
    setupToken: "",
    password: "",
    confirm: "",
    projectName: "OpenMOSS",
    workspaceRoot: "",
    registrationToken: randomToken(),
    allowRegistration: true,
    registrationRoles: ["executor"],
    externalUrl: typeof location === "undefined" ? "" : location.origin,
    // The admin reads the dashboard in this language now; agents most likely should too.
    language: language.get(),
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);

  const check = () => {
    setPhase("checking");
    loadSetupStatus().then(
      (s) => (s.initialized ? route("/login", true) : setPhase("wizard")),
      (err: unknown) => {
        setLoadError(err);
        setPhase("error");
      },
    );
  };
  useEffect(check, []);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const stepError = (i: number): string | null => {
    if (i === 0 && !draft.setupToken.trim()) return t.enterToken;
    if (i === 1) {
      if (draft.password.length < 6) return t.passwordTooShort;
      if (draft.password !== draft.confirm) return t.passwordsDiffer;
    }
    if (i === 2) {
      if (!draft.projectName.trim()) return t.enterProjectName;
      if (!draft.workspaceRoot.trim()) return t.enterWorkspace;
    }
    if (i === 3) {
      if (draft.registrationToken.trim().length < 8) return t.registrationTooShort;
      if (draft.externalUrl.trim() && !/^https?:\/\/\S+$/.test(draft.externalUrl.trim())) return t.urlScheme;
    }
    return null;
  };

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const external = draft.externalUrl.trim();
      const res = await api<SetupInitialized>("/api/setup/initialize", {
        method: "POST",
        admin: false,
        headers: { "X-Setup-Token": draft.setupToken.trim() },
        body: {
          admin_password: draft.password,
          project_name: draft.projectName.trim(),
          workspace_root: draft.workspaceRoot.trim(),
          registration_token: draft.registrationToken.trim(),
          allow_registration: draft.allowRegistration,
          registration_roles: draft.registrationRoles,
          language: draft.language,
          ...(external ? { external_url: external } : {}),
        },
      });
      updateSetupStatus({ initialized: true, has_external_url: external !== "" });
      setResult(res.registration_token);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      if (err instanceof ApiError && err.code === "invalid_setup_token") setStep(0);
      if (err instanceof ApiError && err.code === "already_initialized")
        updateSetupStatus({ initialized: true, has_external_url: true });
    } finally {
      setBusy(false);
    }
  };

  const onNext = (e: Event) => {
    e.preventDefault();
    const problem = stepError(step);
    if (problem) {
      setError(problem);
      return;
    }
    setError(null);
    if (step < STEPS.length - 1) setStep(step + 1);
    else void submit();
  };

  if (phase === "checking") return <Loading label={t.checking} />;
  if (phase === "error") return <ErrorState title={t.noAnswer} error={loadError} onRetry={check} />;

  if (result !== null) {
    return (
      <section class="auth-card" aria-labelledby="setup-done">
        <div class="auth-lang">
          <LanguageSwitch />
        </div>
        <h1 id="setup-done">{t.done}</h1>
        <p>
          <Rich
            text={t.doneText}
            parts={{
              header: <code>X-Registration-Token</code>,
              roles:
                new Intl.ListFormat(language.get(), { type: "conjunction" }).format(
                  draft.registrationRoles.map((r) => labelOf(roles, r)),
                ) || t.noRole,
            }}
          />
        </p>
        <div class="token-row">
          <code class="token" data-testid="registration-token">
            {result}
          </code>
          <CopyButton text={result} label={t.copyToken} />
        </div>
        <a class="btn btn-primary" href="/login?from=setup">
          {t.goToLogin}
        </a>
      </section>
    );
  }

  return (
    <section class="auth-card auth-card-wide" aria-labelledby="setup-title">
      <div class="auth-lang">
        <LanguageSwitch />
      </div>
      <h1 id="setup-title">{t.heading}</h1>
      <ol class="steps" aria-label={t.steps}>
        {STEPS.map((key, i) => (
          <li key={key} class={i < step ? "done" : undefined} aria-current={i === step ? "step" : undefined}>
            <span class="step-num" aria-hidden="true">
              {i + 1}
            </span>
            <span>{t[key]}</span>
          </li>
        ))}
      </ol>
      <form onSubmit={onNext} noValidate>
        <h2 class="step-title">{t.stepOf({ step: step + 1, steps: STEPS.length, name: t[STEPS[step]!] })}</h2>
        {step === 0 ? (
          <Field label={t.stepToken} hint={t.tokenHint}>
            {(id, d) => (
              <input
                id={id}
                aria-describedby={d}
                type="password"
                autoComplete="off"
                required
                value={draft.setupToken}
                onInput={(e) => set("setupToken", e.currentTarget.value)}
              />
            )}
          </Field>
        ) : null}
        {step === 1 ? (
          <>
            <Field label={t.stepPassword} hint={t.passwordHint}>
              {(id, d) => (
                <input
                  id={id}
                  aria-describedby={d}
                  type="password"
                  autoComplete="new-password"
                  required
                  minLength={6}
                  value={draft.password}
                  onInput={(e) => set("password", e.currentTarget.value)}
                />
              )}
            </Field>
            <Field label={t.confirmPassword}>
              {(id, d) => (
                <input
                  id={id}
                  aria-describedby={d}
                  type="password"
                  autoComplete="new-password"
                  required
                  value={draft.confirm}
                  onInput={(e) => set("confirm", e.currentTarget.value)}
                />
              )}
            </Field>
          </>
        ) : null}
        {step === 2 ? (
          <>
            <Field label={t.projectName}>
              {(id, d) => (
                <input
                  id={id}
                  aria-describedby={d}
                  required
                  value={draft.projectName}
                  onInput={(e) => set("projectName", e.currentTarget.value)}
                />
              )}
            </Field>
            <Field label={t.workspace} hint={t.workspaceHint}>
              {(id, d) => (
                <input
                  id={id}
                  aria-describedby={d}
                  required
                  placeholder="/srv/agents/workspace"
                  value={draft.workspaceRoot}
                  onInput={(e) => set("workspaceRoot", e.currentTarget.value)}
                />
              )}
            </Field>
            <ProjectLanguage
              legend={t.language}
              hint={t.languageHint}
              value={draft.language}
              onChange={(l) => set("language", l)}
            />
          </>
        ) : null}
        {step === 3 ? (
          <>
            <Field label={t.registrationToken} hint={t.registrationHint}>
              {(id, d) => (
                <div class="input-row">
                  <input
                    id={id}
                    aria-describedby={d}
                    required
                    value={draft.registrationToken}
                    onInput={(e) => set("registrationToken", e.currentTarget.value)}
                  />
                  <button type="button" class="btn" onClick={() => set("registrationToken", randomToken())}>
                    {t.regenerate}
                  </button>
                </div>
              )}
            </Field>
            <label class="switch">
              <input
                type="checkbox"
                checked={draft.allowRegistration}
                onChange={(e) => set("allowRegistration", e.currentTarget.checked)}
              />
              <span>{t.allowRegistration}</span>
            </label>
            <RoleChecks selected={draft.registrationRoles} onChange={(roles) => set("registrationRoles", roles)} />
            <Field label={t.externalUrl} hint={t.externalUrlHint}>
              {(id, d) => (
                <input
                  id={id}
                  aria-describedby={d}
                  type="url"
                  inputMode="url"
                  value={draft.externalUrl}
                  onInput={(e) => set("externalUrl", e.currentTarget.value)}
                />
              )}
            </Field>
          </>
        ) : null}
        {error ? <Notice kind="error">{error}</Notice> : null}
        <div class="form-actions">
          {step > 0 ? (
            <button
              type="button"
              class="btn"
              onClick={() => {
                setError(null);
                setStep(step - 1);
              }}
              disabled={busy}
            >
              {t.back}
            </button>
          ) : null}
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {step < STEPS.length - 1 ? t.next : busy ? t.initializing : t.initialize}
          </button>
        </div>
      </form>
    </section>
  );
}
