// Settings → Patrol thresholds, Public feed and Password: the short sections.
import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { Field } from "../../components/field";
import { feedText, passwordText, patrolText, settingsText, thresholdText } from "../../i18n/en/settings";
import { api, setToken } from "../../lib/api";
import type { PatrolThresholds } from "../../lib/types";
import { putConfig, SaveRow, Section, type SectionProps, useSave } from "./settings-form";

/** The thresholds in the order the form shows them; their labels and hints are in thresholdText. */
const THRESHOLDS: readonly (keyof PatrolThresholds)[] = [
  "timeout_warning_minutes",
  "timeout_critical_minutes",
  "stuck_minutes",
  "orphan_minutes",
  "rework_overflow_count",
  "score_drop_streak",
];

export function PatrolSection({ config, onSaved }: SectionProps) {
  const page = useStore(settingsText);
  const t = useStore(patrolText);
  const labels = useStore(thresholdText);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(THRESHOLDS.map((key) => [key, String(config.patrol[key])])),
  );
  const [busy, status, run] = useSave();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const patrol: Record<string, number> = {};
      for (const key of THRESHOLDS) {
        const v = Number(values[key]);
        if (!Number.isInteger(v) || v < 1) throw new Error(t.wholeNumber({ label: labels[key] }));
        patrol[key] = v;
      }
      if ((patrol.timeout_critical_minutes ?? 0) <= (patrol.timeout_warning_minutes ?? 0))
        throw new Error(t.criticalAboveWarning);
      await putConfig({ patrol });
      onSaved();
      return page.saved;
    });
  };
  return (
    <Section id="patrol" title={page.patrol} intro={t.intro}>
      <form onSubmit={submit} noValidate>
        <div class="grid grid-2 tight">
          {THRESHOLDS.map((key) => (
            <Field key={key} label={labels[key]} hint={labels[`${key}_hint`]}>
              {(id, d) => (
                <input
                  id={id}
                  aria-describedby={d}
                  type="number"
                  min={1}
                  step={1}
                  inputMode="numeric"
                  value={values[key]}
                  onInput={(e) => setValues((v) => ({ ...v, [key]: e.currentTarget.value }))}
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

export function FeedSection({ config, onSaved }: SectionProps) {
  const page = useStore(settingsText);
  const t = useStore(feedText);
  const [publicFeed, setPublicFeed] = useState(config.webui.public_feed);
  const [retention, setRetention] = useState(String(config.webui.feed_retention_days));
  const [busy, status, run] = useSave();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const days = Number(retention);
      if (!Number.isInteger(days) || days < 1 || days > 365) throw new Error(t.retentionRange);
      await putConfig({ webui: { public_feed: publicFeed, feed_retention_days: days } });
      onSaved();
      return page.saved;
    });
  };
  return (
    <Section id="feed" title={page.feed} intro={t.intro}>
      <form onSubmit={submit} noValidate>
        <label class="switch">
          <input
            type="checkbox"
            name="public-feed"
            checked={publicFeed}
            onChange={(e) => setPublicFeed(e.currentTarget.checked)}
          />
          <span>{t.on}</span>
        </label>
        <Field label={t.retention} hint={t.retentionHint}>
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

export function PasswordSection() {
  const page = useStore(settingsText);
  const t = useStore(passwordText);
  const { route } = useLocation();
  const [oldPassword, setOld] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, status, run] = useSave();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!oldPassword) throw new Error(t.enterCurrent);
      if (next.length < 6) throw new Error(t.tooShort);
      if (next !== confirm) throw new Error(t.differ);
      await api("/api/admin/config/password", {
        method: "PUT",
        body: { old_password: oldPassword, new_password: next },
      });
      // The server ends every admin session, this one included.
      setToken(null);
      route("/login?reason=password");
      return t.changed;
    });
  };
  return (
    <Section id="password" title={page.password} intro={t.intro}>
      <form onSubmit={submit} noValidate>
        <input type="text" name="username" autoComplete="username" value="admin" hidden readOnly />
        <Field label={t.current}>
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
        <Field label={t.next} hint={t.nextHint}>
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
        <Field label={t.confirm}>
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
        <SaveRow busy={busy} status={status} label={t.change} />
      </form>
    </Section>
  );
}
