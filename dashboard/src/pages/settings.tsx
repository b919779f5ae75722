import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { CopyButton } from "../components/copy-button";
import { EnrollmentTokens } from "../components/enrollment-tokens";
import { Field } from "../components/field";
import { PageHeader } from "../components/layout";
import { RoleChecks } from "../components/role-checks";
import { Empty, ErrorState, Loading, Notice } from "../components/states";
import { api, errorMessage, setToken } from "../lib/api";
import { humanize } from "../lib/format";
import { useApi, useTitle } from "../lib/hooks";
import { knownSetupStatus, updateSetupStatus } from "../lib/setup-status";
import {
  type AdminConfig,
  type ChannelTestResult,
  type ConfigUpdated,
  NOTIFICATION_EVENTS,
  type PatrolThresholds,
  type RegistrationToken,
  type Webhook,
  type WebhookType,
} from "../lib/types";

const MASK = "***";
const SECTIONS = [
  ["project", "Project"],
  ["agents", "Agents"],
  ["notifications", "Notifications"],
  ["patrol", "Patrol"],
  ["feed", "Public feed"],
  ["password", "Password"],
] as const;

type Status = { kind: "ok" | "error"; text: string } | null;

/** Busy flag and result line of one form's save. */
function useSave(): [boolean, Status, (fn: () => Promise<string>) => Promise<void>] {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const run = async (fn: () => Promise<string>) => {
    setBusy(true);
    setStatus(null);
    try {
      setStatus({ kind: "ok", text: await fn() });
    } catch (err) {
      setStatus({ kind: "error", text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  return [busy, status, run];
}

const putConfig = (body: Record<string, unknown>) => api<ConfigUpdated>("/api/admin/config", { method: "PUT", body });

export default function SettingsPage() {
  useTitle("Settings");
  const config = useApi<AdminConfig>("/api/admin/config");

  return (
    <>
      <PageHeader title="Settings">
        Project, agent registration, notifications, patrol thresholds and the admin password.
      </PageHeader>
      <nav class="toc" aria-label="Settings sections">
        {SECTIONS.map(([id, label]) => (
          <a key={id} href={`#${id}`}>
            {label}
          </a>
        ))}
      </nav>
      {config.error && !config.data ? (
        <ErrorState error={config.error} onRetry={config.reload} />
      ) : !config.data ? (
        <Loading label="Loading settings…" />
      ) : (
        <div class="stack">
          <ProjectSection config={config.data} onSaved={config.reload} />
          <AgentsSection config={config.data} onSaved={config.reload} />
          <NotificationsSection config={config.data} onSaved={config.reload} />
          <PatrolSection config={config.data} onSaved={config.reload} />
          <FeedSection config={config.data} onSaved={config.reload} />
          <PasswordSection />
        </div>
      )}
    </>
  );
}

interface SectionProps {
  config: AdminConfig;
  onSaved: () => void;
}

function Section({
  id,
  title,
  intro,
  children,
}: {
  id: string;
  title: string;
  intro?: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <section id={id} class="card settings-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {intro ? <p class="muted">{intro}</p> : null}
      {children}
    </section>
  );
}

function SaveRow({ busy, status, label = "Save" }: { busy: boolean; status: Status; label?: string }) {
  return (
    <div class="form-actions">
      <button type="submit" class="btn btn-primary" disabled={busy}>
        {busy ? "Saving…" : label}
      </button>
      {status ? <Notice kind={status.kind}>{status.text}</Notice> : null}
    </div>
  );
}

function ProjectSection({ config, onSaved }: SectionProps) {
  const [name, setName] = useState(config.project.name);
  const [root, setRoot] = useState(config.workspace.root);
  const [url, setUrl] = useState(config.server.external_url);
  const [busy, status, run] = useSave();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!name.trim()) throw new Error("The project name cannot be empty.");
      if (!root.trim()) throw new Error("The workspace directory cannot be empty.");
      const external = url.trim();
      if (external && !/^https?:\/\/\S+$/.test(external))
        throw new Error("The URL must start with http:// or https://.");
      await putConfig({
        project: { name: name.trim() },
        workspace: { root: root.trim() },
        server: { external_url: external },
      });
      const s = knownSetupStatus();
      if (s) updateSetupStatus({ ...s, has_external_url: external !== "" });
      onSaved();
      return "Saved.";
    });
  };
  return (
    <Section id="project" title="Project">
      <form onSubmit={submit} noValidate>
        <Field label="Project name">
          {(id) => (
            <input id={id} name="project-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          )}
        </Field>
        <Field label="Workspace directory" hint="The agents' shared working directory, as they see it.">
          {(id, d) => (
            <input id={id} aria-describedby={d} required value={root} onInput={(e) => setRoot(e.currentTarget.value)} />
          )}
        </Field>
        <Field
          label="Service access URL"
          hint="How agents reach this server (used in onboarding prompts), e.g. https://moss.example.com. Leave empty to unset."
        >
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
    </Section>
  );
}

function AgentsSection({ config, onSaved }: SectionProps) {
  const [allow, setAllow] = useState(config.agent.allow_registration);
  const [roles, setRoles] = useState<string[]>(config.agent.registration_roles);
  const [busy, status, run] = useSave();
  const [rotating, rotateStatus, runRotate] = useSave();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await putConfig({ agent: { allow_registration: allow, registration_roles: roles } });
      onSaved();
      return "Saved.";
    });
  };
  const rotate = () => {
    if (!window.confirm("Rotate the registration token? Agents that have not registered yet will need the new one."))
      return;
    void runRotate(async () => {
      await api<RegistrationToken>("/api/admin/registration-token/rotate", { method: "POST" });
      onSaved();
      return "New token issued; the old one no longer works.";
    });
  };
  const token = config.agent.registration_token;
  return (
    <Section
      id="agents"
      title="Agents"
      intro="New agents register with an enrollment token (one role, limited uses) or, for the roles allowed below, the shared registration token, in the X-Registration-Token header."
    >
      <div class="field">
        <span class="label">Registration token</span>
        <div class="token-row">
          <code class="token" data-testid="settings-registration-token">
            {token}
          </code>
          <CopyButton text={token} label="Copy" />
          <button type="button" class="btn" onClick={rotate} disabled={rotating}>
            {rotating ? "Rotating…" : "Rotate"}
          </button>
        </div>
        {rotateStatus ? <Notice kind={rotateStatus.kind}>{rotateStatus.text}</Notice> : null}
      </div>
      <form onSubmit={submit}>
        <label class="switch">
          <input type="checkbox" checked={allow} onChange={(e) => setAllow(e.currentTarget.checked)} />
          <span>Accept the shared registration token (off: only enrollment tokens and admins add agents)</span>
        </label>
        <RoleChecks selected={roles} onChange={setRoles} />
        <SaveRow busy={busy} status={status} />
      </form>
      <EnrollmentTokens defaultDays={config.agent.enrollment_ttl_days} />
    </Section>
  );
}

const WEBHOOK_TYPES: { value: WebhookType; label: string }[] = [
  { value: "feishu", label: "Feishu / Lark bot" },
  { value: "slack", label: "Slack-compatible" },
  { value: "webhook", label: "JSON webhook (signed)" },
];

function EventChecks({
  legend,
  selected,
  onChange,
  hint,
}: {
  legend: string;
  selected: string[];
  onChange: (events: string[]) => void;
  hint?: string;
}) {
  const toggle = (ev: string, on: boolean) => onChange(on ? [...selected, ev] : selected.filter((s) => s !== ev));
  return (
    <fieldset class="checks">
      <legend>{legend}</legend>
      {hint ? <p class="hint">{hint}</p> : null}
      {NOTIFICATION_EVENTS.map((ev) => (
        <label key={ev} class="check">
          <input
            type="checkbox"
            checked={selected.includes(ev)}
            onChange={(e) => toggle(ev, e.currentTarget.checked)}
          />
          <span>{humanize(ev)}</span>
        </label>
      ))}
    </fieldset>
  );
}

function NotificationsSection({ config, onSaved }: SectionProps) {
  const n = config.notification;
  const [enabled, setEnabled] = useState(n.enabled);
  const [events, setEvents] = useState<string[]>(n.events);
  const [hooks, setHooks] = useState<Webhook[]>(n.webhooks);
  const [channels, setChannels] = useState(n.channels.join("\n"));
  const [retention, setRetention] = useState(String(n.retention_days));
  const [busy, status, run] = useSave();
  // After a save the server's copy (with the ids it assigned) replaces the draft.
  const stored = JSON.stringify(n.webhooks);
  useEffect(() => setHooks(n.webhooks), [stored]);

  const update = (i: number, patch: Partial<Webhook>) =>
    setHooks((list) => list.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  const add = () =>
    setHooks((list) => [...list, { name: "", type: "slack", url: "", secret: "", events: [], enabled: true }]);
  const remove = (i: number) => setHooks((list) => list.filter((_, j) => j !== i));

  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      hooks.forEach((h, i) => {
        if (!h.name.trim()) throw new Error(`Channel ${i + 1} needs a name.`);
        if (!/^https?:\/\/\S+$/.test(h.url.trim())) throw new Error(`Channel ${i + 1} needs an http(s) URL.`);
      });
      // The API's bounds (worker/routes/admin-config.ts), checked here so the message names the field.
      const days = Number(retention);
      if (!Number.isInteger(days) || days < 1 || days > 365)
        throw new Error("Keep sent notifications for 1 to 365 days.");
      await putConfig({
        notification: {
          enabled,
          events,
          channels: channels
            .split("\n")
            .map((c) => c.trim())
            .filter(Boolean),
          webhooks: hooks.map((h) => ({ ...h, name: h.name.trim(), url: h.url.trim() })),
          retention_days: days,
        },
      });
      onSaved();
      return "Saved.";
    });
  };

  return (
    <Section
      id="notifications"
      title="Notifications"
      intro="The server delivers events to these channels itself, with retries."
    >
      <form onSubmit={submit} noValidate>
        <label class="switch">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
          <span>Notifications on</span>
        </label>
        <EventChecks legend="Events (default for every channel)" selected={events} onChange={setEvents} />
        <h3 class="subhead">Channels</h3>
        {hooks.length === 0 ? (
          <Empty title="No channels yet.">
            <p>Add a Feishu/Lark bot, a Slack-compatible webhook or a signed JSON webhook.</p>
          </Empty>
        ) : (
          <ol class="channel-list">
            {hooks.map((h, i) => (
              <li key={h.id ?? `new-${i}`} class="channel">
                <fieldset>
                  <legend>
                    Channel {i + 1}
                    {h.name ? `: ${h.name}` : ""}
                  </legend>
                  <div class="grid grid-2 tight">
                    <Field label="Name">
                      {(id) => (
                        <input id={id} value={h.name} onInput={(e) => update(i, { name: e.currentTarget.value })} />
                      )}
                    </Field>
                    <Field label="Type">
                      {(id) => (
                        <select
                          id={id}
                          value={h.type}
                          onChange={(e) => update(i, { type: e.currentTarget.value as WebhookType })}
                        >
                          {WEBHOOK_TYPES.map((t) => (
                            <option key={t.value} value={t.value}>
                              {t.label}
                            </option>
                          ))}
                        </select>
                      )}
                    </Field>
                    <Field label="Webhook URL">
                      {(id) => (
                        <input
                          id={id}
                          type="url"
                          inputMode="url"
                          value={h.url}
                          onInput={(e) => update(i, { url: e.currentTarget.value })}
                        />
                      )}
                    </Field>
                    <Field
                      label="Secret"
                      hint={
                        h.secret === MASK
                          ? "A secret is stored; type a new one to replace it."
                          : "Signing secret (optional)."
                      }
                    >
                      {(id, d) => (
                        <input
                          id={id}
                          aria-describedby={d}
                          type="password"
                          autoComplete="off"
                          value={h.secret === MASK ? "" : h.secret}
                          placeholder={h.secret === MASK ? "unchanged" : ""}
                          onInput={(e) =>
                            update(i, {
                              secret:
                                e.currentTarget.value ||
                                (n.webhooks.find((w) => w.id === h.id)?.secret === MASK ? MASK : ""),
                            })
                          }
                        />
                      )}
                    </Field>
                  </div>
                  <EventChecks
                    legend="Events for this channel"
                    hint="None ticked: the default events above."
                    selected={h.events}
                    onChange={(ev) => update(i, { events: ev })}
                  />
                  <div class="row-actions">
                    <label class="switch">
                      <input
                        type="checkbox"
                        checked={h.enabled}
                        onChange={(e) => update(i, { enabled: e.currentTarget.checked })}
                      />
                      <span>Enabled</span>
                    </label>
                    <button type="button" class="btn btn-danger" onClick={() => remove(i)}>
                      Remove channel {i + 1}
                    </button>
                  </div>
                  <TestSend channelId={h.id} number={i + 1} />
                </fieldset>
              </li>
            ))}
          </ol>
        )}
        <button type="button" class="btn" onClick={add}>
          Add channel
        </button>
        <Field
          label="Agent-side channels"
          hint="Upstream's format, one per line (e.g. chat:oc_…), handed to agents that notify by themselves via GET /api/config/notification."
        >
          {(id, d) => (
            <textarea
              id={id}
              aria-describedby={d}
              rows={3}
              value={channels}
              onInput={(e) => setChannels(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field
          label="Keep sent notifications (days)"
          hint="1–365; delivered and given-up notifications older than this are deleted automatically."
        >
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              type="number"
              min={1}
              max={365}
              inputMode="numeric"
              value={retention}
              onInput={(e) => setRetention(e.currentTarget.value)}
            />
          )}
        </Field>
        <SaveRow busy={busy} status={status} />
      </form>
    </Section>
  );
}

/** Sends a test message to a saved channel (its stored URL and secret) and shows how it went. */
function TestSend({ channelId, number }: { channelId: string | undefined; number: number }) {
  const [busy, status, run] = useSave();
  const send = () =>
    void run(async () => {
      const r = await api<ChannelTestResult>("/api/admin/notifications/test", {
        method: "POST",
        body: { channel_id: channelId },
      });
      if (r.ok) return `Delivered (HTTP ${r.status ?? "?"})`;
      throw new Error(`Not delivered: ${r.error ?? (r.status !== null ? `HTTP ${r.status}` : "unknown error")}`);
    });
  return (
    <div class="form-actions">
      <button
        type="button"
        class="btn"
        onClick={send}
        disabled={busy || !channelId}
        aria-label={`Send test to channel ${number}`}
      >
        {busy ? "Sending…" : "Send test"}
      </button>
      {!channelId ? (
        <span class="hint">Save the channel to test it.</span>
      ) : status ? (
        <Notice kind={status.kind}>{status.text}</Notice>
      ) : null}
    </div>
  );
}

const THRESHOLDS: { key: keyof PatrolThresholds; label: string; hint: string }[] = [
  {
    key: "timeout_warning_minutes",
    label: "Timeout warning (minutes)",
    hint: "A sub-task in progress this long raises a warning.",
  },
  {
    key: "timeout_critical_minutes",
    label: "Timeout critical (minutes)",
    hint: "This long, it is critical and blocked. Must be above the warning.",
  },
  { key: "stuck_minutes", label: "Stuck (minutes)", hint: "Any open sub-task not updated for this long." },
  {
    key: "orphan_minutes",
    label: "Orphan (minutes)",
    hint: "Pending this long in an active task (or held by a disabled agent).",
  },
  {
    key: "rework_overflow_count",
    label: "Rework overflow (rounds)",
    hint: "Rework rounds at which an open sub-task raises an alert.",
  },
  {
    key: "score_drop_streak",
    label: "Score drop streak",
    hint: "Alert when an agent's latest this-many score entries are all deductions.",
  },
];

function PatrolSection({ config, onSaved }: SectionProps) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(THRESHOLDS.map((t) => [t.key, String(config.patrol[t.key])])),
  );
  const [busy, status, run] = useSave();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const patrol: Record<string, number> = {};
      for (const t of THRESHOLDS) {
        const v = Number(values[t.key]);
        if (!Number.isInteger(v) || v < 1) throw new Error(`${t.label}: enter a whole number of at least 1.`);
        patrol[t.key] = v;
      }
      if ((patrol.timeout_critical_minutes ?? 0) <= (patrol.timeout_warning_minutes ?? 0))
        throw new Error("The critical timeout must be above the warning timeout.");
      await putConfig({ patrol });
      onSaved();
      return "Saved.";
    });
  };
  return (
    <Section id="patrol" title="Patrol" intro="The patrol runs every minute and raises these anomalies.">
      <form onSubmit={submit} noValidate>
        <div class="grid grid-2 tight">
          {THRESHOLDS.map((t) => (
            <Field key={t.key} label={t.label} hint={t.hint}>
              {(id, d) => (
                <input
                  id={id}
                  aria-describedby={d}
                  type="number"
                  min={1}
                  step={1}
                  inputMode="numeric"
                  value={values[t.key]}
                  onInput={(e) => setValues((v) => ({ ...v, [t.key]: e.currentTarget.value }))}
                />
              )}
            </Field>
          ))}
        </div>
        <SaveRow busy={busy} status={status} />
      </form>
    </Section>
  );
}

function FeedSection({ config, onSaved }: SectionProps) {
  const [publicFeed, setPublicFeed] = useState(config.webui.public_feed);
  const [retention, setRetention] = useState(String(config.webui.feed_retention_days));
  const [busy, status, run] = useSave();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const days = Number(retention);
      if (!Number.isInteger(days) || days < 1 || days > 365) throw new Error("Keep request logs for 1 to 365 days.");
      await putConfig({ webui: { public_feed: publicFeed, feed_retention_days: days } });
      onSaved();
      return "Saved.";
    });
  };
  return (
    <Section
      id="feed"
      title="Public feed"
      intro="When on, anyone with the URL can watch the agents' API activity at /feed, including request bodies."
    >
      <form onSubmit={submit} noValidate>
        <label class="switch">
          <input
            type="checkbox"
            name="public-feed"
            checked={publicFeed}
            onChange={(e) => setPublicFeed(e.currentTarget.checked)}
          />
          <span>Public feed on</span>
        </label>
        <Field label="Keep request logs (days)" hint="1–365; older request logs are deleted automatically.">
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              type="number"
              min={1}
              max={365}
              inputMode="numeric"
              value={retention}
              onInput={(e) => setRetention(e.currentTarget.value)}
            />
          )}
        </Field>
        <SaveRow busy={busy} status={status} />
      </form>
    </Section>
  );
}

function PasswordSection() {
  const { route } = useLocation();
  const [oldPassword, setOld] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, status, run] = useSave();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!oldPassword) throw new Error("Enter the current password.");
      if (next.length < 6) throw new Error("The new password needs at least 6 characters.");
      if (next !== confirm) throw new Error("The two new passwords differ.");
      await api("/api/admin/config/password", {
        method: "PUT",
        body: { old_password: oldPassword, new_password: next },
      });
      // The server ends every admin session, this one included.
      setToken(null);
      route("/login?reason=password");
      return "Password changed.";
    });
  };
  return (
    <Section
      id="password"
      title="Password"
      intro="Changing the password logs out every admin session, this one included."
    >
      <form onSubmit={submit} noValidate>
        <input type="text" name="username" autoComplete="username" value="admin" hidden readOnly />
        <Field label="Current password">
          {(id) => (
            <input
              id={id}
              type="password"
              autoComplete="current-password"
              value={oldPassword}
              onInput={(e) => setOld(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="New password" hint="At least 6 characters.">
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              type="password"
              autoComplete="new-password"
              value={next}
              onInput={(e) => setNext(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Confirm new password">
          {(id) => (
            <input
              id={id}
              type="password"
              autoComplete="new-password"
              value={confirm}
              onInput={(e) => setConfirm(e.currentTarget.value)}
            />
          )}
        </Field>
        <SaveRow busy={busy} status={status} label="Change password" />
      </form>
    </Section>
  );
}
