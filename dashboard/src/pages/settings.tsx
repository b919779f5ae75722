import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { isLanguage, type Language } from "../../../contract/languages";
import { CopyButton } from "../components/copy-button";
import { EnrollmentTokens } from "../components/enrollment-tokens";
import { Field } from "../components/field";
import { PageHeader } from "../components/layout";
import { ProjectLanguage } from "../components/project-language";
import { RoleChecks } from "../components/role-checks";
import { ErrorState, Loading, Notice } from "../components/states";
import { filesSettings } from "../i18n/en/files";
import { agentsText, languageText, projectText, settingsText } from "../i18n/en/settings";
import { api } from "../lib/api";
import { useApi, useTitle } from "../lib/hooks";
import { knownSetupStatus, updateSetupStatus } from "../lib/setup-status";
import type { AdminConfig, RegistrationToken } from "../lib/types";
import { FilesSection } from "./parts/settings-files";
import { putConfig, SaveRow, Section, type SectionProps, useSave } from "./parts/settings-form";
import { NotificationsSection } from "./parts/settings-notifications";
import { RetroSection } from "./parts/settings-retro";
import { FeedSection, PasswordSection, PatrolSection } from "./parts/settings-sections";
import { ShippedTexts } from "./parts/shipped-texts";

/** The sections in page order, named by their key in the settings texts. */
const SECTIONS = ["project", "agents", "notifications", "patrol", "retrospectives", "feed", "password"] as const;

export default function SettingsPage() {
  const t = useStore(settingsText);
  const files = useStore(filesSettings);
  useTitle(t.title);
  const config = useApi<AdminConfig>("/api/admin/config");

  return (
    <>
      <PageHeader title={t.title}>{t.intro}</PageHeader>
      <nav class="toc" aria-label={t.sections}>
        {SECTIONS.flatMap((id): [string, string][] =>
          // Files (its texts live in its own area) follows the retrospectives, as its section does.
          id === "retrospectives"
            ? [
                [id, t[id]],
                ["files", files.title],
              ]
            : [[id, t[id]]],
        ).map(([id, label]) => (
          <a key={id} href={`#${id}`}>
            {label}
          </a>
        ))}
      </nav>
      {config.error && !config.data ? (
        <ErrorState error={config.error} onRetry={config.reload} />
      ) : !config.data ? (
        <Loading label={t.loading} />
      ) : (
        <div class="stack">
          <ProjectSection config={config.data} onSaved={config.reload} />
          <AgentsSection config={config.data} onSaved={config.reload} />
          <NotificationsSection config={config.data} onSaved={config.reload} />
          <PatrolSection config={config.data} onSaved={config.reload} />
          <RetroSection config={config.data} onSaved={config.reload} />
          <FilesSection config={config.data} onSaved={config.reload} />
          <FeedSection config={config.data} onSaved={config.reload} />
          <PasswordSection />
        </div>
      )}
    </>
  );
}

/** The project's language from the config; English when the server does not report one. */
const projectLanguage = (config: AdminConfig): Language => {
  const project: { language?: unknown } = config.project;
  return isLanguage(project.language) ? project.language : "en";
};

function ProjectSection({ config, onSaved }: SectionProps) {
  const page = useStore(settingsText);
  const t = useStore(projectText);
  const lang = useStore(languageText);
  const [name, setName] = useState(config.project.name);
  const [language, setLanguage] = useState(projectLanguage(config));
  const [root, setRoot] = useState(config.workspace.root);
  const [url, setUrl] = useState(config.server.external_url);
  const [busy, status, run] = useSave();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!name.trim()) throw new Error(t.nameEmpty);
      if (!root.trim()) throw new Error(t.workspaceEmpty);
      const external = url.trim();
      if (external && !/^https?:\/\/\S+$/.test(external)) throw new Error(page.urlScheme);
      await putConfig({
        project: { name: name.trim(), language },
        workspace: { root: root.trim() },
        server: { external_url: external },
      });
      const s = knownSetupStatus();
      if (s) updateSetupStatus({ ...s, has_external_url: external !== "" });
      onSaved();
      return page.saved;
    });
  };
  return (
    <Section id="project" title={page.project}>
      <form onSubmit={submit} noValidate>
        <Field label={t.name}>
          {(id) => (
            <input id={id} name="project-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          )}
        </Field>
        <ProjectLanguage legend={lang.legend} hint={lang.hint} value={language} onChange={setLanguage} />
        <Field label={t.workspace} hint={t.workspaceHint}>
          {(id, d) => (
            <input id={id} aria-describedby={d} required value={root} onInput={(e) => setRoot(e.currentTarget.value)} />
          )}
        </Field>
        <Field label={t.externalUrl} hint={t.externalUrlHint}>
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              type="url"
              inputMode="url"
              value={url}
              onInput={(e) => setUrl(e.currentTarget.value)}
            />
          )}
        </Field>
        <SaveRow busy={busy} status={status} />
      </form>
      <ShippedTexts current={projectLanguage(config)} />
    </Section>
  );
}

function AgentsSection({ config, onSaved }: SectionProps) {
  const page = useStore(settingsText);
  const t = useStore(agentsText);
  const [allow, setAllow] = useState(config.agent.allow_registration);
  const [roles, setRoles] = useState<string[]>(config.agent.registration_roles);
  const [busy, status, run] = useSave();
  const [rotating, rotateStatus, runRotate] = useSave();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await putConfig({ agent: { allow_registration: allow, registration_roles: roles } });
      onSaved();
      return page.saved;
    });
  };
  const rotate = () => {
    if (!window.confirm(t.confirmRotate)) return;
    void runRotate(async () => {
      await api<RegistrationToken>("/api/admin/registration-token/rotate", { method: "POST" });
      onSaved();
      return t.rotated;
    });
  };
  const token = config.agent.registration_token;
  return (
    <Section id="agents" title={page.agents} intro={t.intro}>
      <div class="field">
        <span class="label">{t.token}</span>
        <div class="token-row">
          <code class="token" data-testid="settings-registration-token">
            {token}
          </code>
          <CopyButton text={token} label={t.copy} />
          <button type="button" class="btn" onClick={rotate} disabled={rotating}>
            {rotating ? t.rotating : t.rotate}
          </button>
        </div>
        {rotateStatus ? <Notice kind={rotateStatus.kind}>{rotateStatus.text}</Notice> : null}
      </div>
      <form onSubmit={submit}>
        <label class="switch">
          <input type="checkbox" checked={allow} onChange={(e) => setAllow(e.currentTarget.checked)} />
          <span>{t.acceptShared}</span>
        </label>
        <RoleChecks selected={roles} onChange={setRoles} />
        <SaveRow busy={busy} status={status} />
      </form>
      <EnrollmentTokens defaultDays={config.agent.enrollment_ttl_days} />
    </Section>
  );
}
