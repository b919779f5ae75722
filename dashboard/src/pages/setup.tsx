import { useEffect, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { CopyButton } from "../components/copy-button";
import { Field } from "../components/field";
import { RoleChecks } from "../components/role-checks";
import { ErrorState, Loading, Notice } from "../components/states";
import { ApiError, api } from "../lib/api";
import { useTitle } from "../lib/hooks";
import { randomToken } from "../lib/random";
import { loadSetupStatus, updateSetupStatus } from "../lib/setup-status";
import type { SetupInitialized } from "../lib/types";

const STEPS = ["Setup token", "Admin password", "Project", "Agents"] as const;

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
}

/** First-run wizard: POST /api/setup/initialize with the X-Setup-Token the deployer typed. */
export default function SetupPage() {
  useTitle("Setup");
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
    if (i === 0 && !draft.setupToken.trim()) return "Enter the setup token.";
    if (i === 1) {
      if (draft.password.length < 6) return "The password needs at least 6 characters.";
      if (draft.password !== draft.confirm) return "The two passwords differ.";
    }
    if (i === 2) {
      if (!draft.projectName.trim()) return "Enter a project name.";
      if (!draft.workspaceRoot.trim()) return "Enter the workspace directory.";
    }
    if (i === 3) {
      if (draft.registrationToken.trim().length < 8) return "The registration token needs at least 8 characters.";
      if (draft.externalUrl.trim() && !/^https?:\/\/\S+$/.test(draft.externalUrl.trim()))
        return "The URL must start with http:// or https://.";
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

  if (phase === "checking") return <Loading label="Checking the server…" />;
  if (phase === "error") return <ErrorState title="The server did not answer" error={loadError} onRetry={check} />;

  if (result !== null) {
    return (
      <section class="auth-card" aria-labelledby="setup-done">
        <h1 id="setup-done">Setup complete</h1>
        <p>
          The shared registration token (header <code>X-Registration-Token</code>) registers:{" "}
          {draft.registrationRoles.join(", ") || "no role"}. Enroll other roles with one-time tokens (Prompts, or
          Settings → Agents). You can rotate it later in Settings.
        </p>
        <div class="token-row">
          <code class="token" data-testid="registration-token">
            {result}
          </code>
          <CopyButton text={result} label="Copy token" />
        </div>
        <a class="btn btn-primary" href="/login?from=setup">
          Go to login
        </a>
      </section>
    );
  }

  return (
    <section class="auth-card auth-card-wide" aria-labelledby="setup-title">
      <h1 id="setup-title">Set up OpenMOSS Edge</h1>
      <ol class="steps" aria-label="Setup steps">
        {STEPS.map((label, i) => (
          <li key={label} class={i < step ? "done" : undefined} aria-current={i === step ? "step" : undefined}>
            <span class="step-num" aria-hidden="true">
              {i + 1}
            </span>
            <span>{label}</span>
          </li>
        ))}
      </ol>
      <form onSubmit={onNext} noValidate>
        <h2 class="step-title">
          Step {step + 1} of {STEPS.length}: {STEPS[step]}
        </h2>
        {step === 0 ? (
          <Field label="Setup token" hint="The SETUP_TOKEN secret of this Worker (npm start keeps it in .dev.vars).">
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
            <Field label="Admin password" hint="At least 6 characters.">
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
            <Field label="Confirm password">
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
            <Field label="Project name">
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
            <Field label="Workspace directory" hint="Where the agents keep their work, e.g. /srv/agents/workspace.">
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
          </>
        ) : null}
        {step === 3 ? (
          <>
            <Field label="Agent registration token" hint="Agents send it to register themselves.">
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
                    Regenerate
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
              <span>Allow agents to register themselves</span>
            </label>
            <RoleChecks selected={draft.registrationRoles} onChange={(roles) => set("registrationRoles", roles)} />
            <Field
              label="Service access URL (optional)"
              hint="The address agents use to reach this server, e.g. https://moss.example.com."
            >
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
              Back
            </button>
          ) : null}
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {step < STEPS.length - 1 ? "Next" : busy ? "Initializing…" : "Initialize"}
          </button>
        </div>
      </form>
    </section>
  );
}
