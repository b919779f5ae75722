// Settings → Notifications: the events, the channels the server delivers to (with a test send each),
// the agent-side channels and how long sent notifications are kept.
import { useStore } from "@nanostores/preact";
import { useEffect, useState } from "preact/hooks";
import { Field } from "../../components/field";
import { Empty, Notice } from "../../components/states";
import { notificationEventLabels } from "../../i18n/en/enums";
import { notificationsText, settingsText } from "../../i18n/en/settings";
import { api } from "../../lib/api";
import { labelOf } from "../../lib/format";
import { type ChannelTestResult, NOTIFICATION_EVENTS, type Webhook, type WebhookType } from "../../lib/types";
import { putConfig, SaveRow, Section, type SectionProps, useSave } from "./settings-form";

const MASK = "***";
const WEBHOOK_TYPES: readonly WebhookType[] = ["feishu", "slack", "webhook"];

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
  const labels = useStore(notificationEventLabels);
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
          <span>{labelOf(labels, ev)}</span>
        </label>
      ))}
    </fieldset>
  );
}

export function NotificationsSection({ config, onSaved }: SectionProps) {
  const page = useStore(settingsText);
  const t = useStore(notificationsText);
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
        if (!h.name.trim()) throw new Error(t.needsName({ n: i + 1 }));
        if (!/^https?:\/\/\S+$/.test(h.url.trim())) throw new Error(t.needsUrl({ n: i + 1 }));
      });
      // The API's bounds (worker/routes/admin-config.ts), checked here so the message names the field.
      const days = Number(retention);
      if (!Number.isInteger(days) || days < 1 || days > 365) throw new Error(t.retentionRange);
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
      return page.saved;
    });
  };

  return (
    <Section id="notifications" title={page.notifications} intro={t.intro}>
      <form onSubmit={submit} noValidate>
        <label class="switch">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
          <span>{t.on}</span>
        </label>
        <EventChecks legend={t.defaultEvents} selected={events} onChange={setEvents} />
        <h3 class="subhead">{t.channels}</h3>
        {hooks.length === 0 ? (
          <Empty title={t.noChannels}>
            <p>{t.noChannelsHelp}</p>
          </Empty>
        ) : (
          <ol class="channel-list">
            {hooks.map((h, i) => (
              <li key={h.id ?? `new-${i}`} class="channel">
                <fieldset>
                  <legend>{h.name ? t.namedChannel({ n: i + 1, name: h.name }) : t.channel({ n: i + 1 })}</legend>
                  <div class="grid grid-2 tight">
                    <Field label={t.name}>
                      {(id) => (
                        <input id={id} value={h.name} onInput={(e) => update(i, { name: e.currentTarget.value })} />
                      )}
                    </Field>
                    <Field label={t.type}>
                      {(id) => (
                        <select
                          id={id}
                          value={h.type}
                          onChange={(e) => update(i, { type: e.currentTarget.value as WebhookType })}
                        >
                          {WEBHOOK_TYPES.map((type) => (
                            <option key={type} value={type}>
                              {t[type]}
                            </option>
                          ))}
                        </select>
                      )}
                    </Field>
                    <Field label={t.url}>
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
                    <Field label={t.secret} hint={h.secret === MASK ? t.secretStored : t.secretOptional}>
                      {(id, d) => (
                        <input
                          id={id}
                          aria-describedby={d}
                          type="password"
                          autoComplete="off"
                          value={h.secret === MASK ? "" : h.secret}
                          placeholder={h.secret === MASK ? t.unchanged : ""}
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
                    legend={t.channelEvents}
                    hint={t.channelEventsHint}
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
                      <span>{t.enabled}</span>
                    </label>
                    <button type="button" class="btn btn-danger" onClick={() => remove(i)}>
                      {t.remove({ n: i + 1 })}
                    </button>
                  </div>
                  <TestSend channelId={h.id} number={i + 1} />
                </fieldset>
              </li>
            ))}
          </ol>
        )}
        <button type="button" class="btn" onClick={add}>
          {t.add}
        </button>
        <Field label={t.agentChannels} hint={t.agentChannelsHint}>
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

/** Sends a test message to a saved channel (its stored URL and secret) and shows how it went. */
function TestSend({ channelId, number }: { channelId: string | undefined; number: number }) {
  const t = useStore(notificationsText);
  const [busy, status, run] = useSave();
  const send = () =>
    void run(async () => {
      const r = await api<ChannelTestResult>("/api/admin/notifications/test", {
        method: "POST",
        body: { channel_id: channelId },
      });
      if (r.ok) return t.delivered({ status: r.status ?? "?" });
      throw new Error(t.notDelivered({ reason: r.error ?? (r.status !== null ? `HTTP ${r.status}` : t.unknownError) }));
    });
  return (
    <div class="form-actions">
      <button
        type="button"
        class="btn"
        onClick={send}
        disabled={busy || !channelId}
        aria-label={t.sendTestTo({ n: number })}
      >
        {busy ? t.sending : t.sendTest}
      </button>
      {!channelId ? (
        <span class="hint">{t.saveToTest}</span>
      ) : status ? (
        <Notice kind={status.kind}>{status.text}</Notice>
      ) : null}
    </div>
  );
}
