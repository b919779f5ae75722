// Building blocks shared by the task, agent, record, feed, patrol and prompt pages: status pills,
// filters that live in the URL, a pager, modal dialogs, typed confirmations, polling while the tab
// is visible. Imported only by lazy pages, so it never weighs on the shell.
import { useStore } from "@nanostores/preact";
import type { ComponentChildren } from "preact";
import { useEffect, useId, useRef, useState } from "preact/hooks";
import { CopyButton } from "../../components/copy-button";
import { Field } from "../../components/field";
import { RelTime } from "../../components/rel-time";
import { Empty, ErrorState, Loading } from "../../components/states";
import { actionLabels, roleLabels, stateLabels } from "../../i18n/en/enums";
import { uiText } from "../../i18n/en/parts";
import { ApiError, errorMessage, withQuery } from "../../lib/api";
import { humanize, labelOf } from "../../lib/format";
import { type Resource, useApi } from "../../lib/hooks";
import type { Page } from "../../lib/types";
import type { AdminAgent, AdminLog, AdminTask } from "./types";
import "./pages.css";

const TONES: Record<string, string> = {
  pending: "muted",
  assigned: "accent",
  in_progress: "accent",
  review: "warn",
  rework: "warn",
  blocked: "bad",
  done: "good",
  cancelled: "muted",
  planning: "muted",
  active: "accent",
  completed: "good",
  archived: "muted",
  approved: "good",
  rejected: "bad",
  open: "warn",
  resolved: "good",
  ignored: "muted",
  warning: "warn",
  critical: "bad",
  disabled: "muted",
  high: "bad",
  medium: "warn",
  low: "muted",
};

/** A state, result or priority as a coloured label (the state's label unless `label` is given). */
export function Pill({ value, label }: { value: string; label?: string }) {
  const states = useStore(stateLabels);
  return <span class={`pill pill-${TONES[value] ?? "muted"}`}>{label ?? labelOf(states, value)}</span>;
}

/** Green when the agent was seen in the last 10 minutes. */
export function OnlineDot({ online }: { online: boolean }) {
  const t = useStore(uiText);
  return (
    <span class={online ? "dot dot-on" : "dot"} title={online ? t.online : t.offline}>
      <span class="sr-only">{online ? t.onlineShort : t.offlineShort}</span>
    </span>
  );
}

export const shortId = (id: string) => id.slice(0, 8);
export const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/**
 * Loading, error and empty states around a GET; `children` renders the data. `loading` is the whole
 * loading sentence; else `label`, the page's noun phrase in the current language ("the prompt" /
 * "提示词"), makes "Loading the prompt…" and, without `empty`, "No the prompt yet.".
 */
export function View<T>({
  res,
  label,
  loading,
  isEmpty,
  empty,
  children,
}: {
  res: Resource<T>;
  label?: string;
  loading?: string;
  isEmpty?: (data: T) => boolean;
  empty?: ComponentChildren;
  children: (data: T) => ComponentChildren;
}) {
  const t = useStore(uiText);
  if (res.error && res.data === undefined) return <ErrorState error={res.error} onRetry={res.reload} />;
  if (res.data === undefined) return <Loading label={loading ?? (label ? t.loadingLabel({ label }) : undefined)} />;
  if (isEmpty?.(res.data)) return <>{empty ?? <Empty title={label ? t.noneYet({ label }) : t.nothingYet} />}</>;
  return <>{children(res.data)}</>;
}

/** Calls `fn` every `ms` while the tab is visible, and at once when it becomes visible again. */
export function usePoll(fn: () => void, ms: number, enabled = true): void {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setInterval> | undefined;
    const stop = () => {
      clearInterval(timer);
      timer = undefined;
    };
    const start = () => {
      stop();
      timer = setInterval(() => latest.current(), ms);
    };
    const onVisibility = () => {
      if (document.visibilityState === "visible") {
        latest.current();
        start();
      } else stop();
    };
    if (document.visibilityState === "visible") start();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      stop();
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [ms, enabled]);
}

/**
 * A labelled select; `all` adds a first "any value" option with the empty value (default: "All" in
 * the current language). `T` is the options' type (e.g. a Role from the contract), so a typed setter
 * can take the choice as it is. `labels` (an i18n/en/enums.ts map) names plain string options.
 */
export function Select<T extends string>({
  label,
  value,
  options,
  onChange,
  all,
  name,
  labels,
}: {
  label: string;
  value: T | "";
  options: readonly (T | { value: T; label: string })[];
  onChange: (value: T) => void;
  all?: string | null;
  name?: string;
  labels?: Readonly<Record<string, string>>;
}) {
  const t = useStore(uiText);
  return (
    <Field label={label}>
      {(id) => (
        <select
          id={id}
          name={name}
          value={value}
          // The browser reports one of the options' values (or "" for `all`, whose callers take strings).
          onChange={(e) => onChange(e.currentTarget.value as T)}
        >
          {all !== null ? <option value="">{all ?? t.all}</option> : null}
          {options.map((o) =>
            typeof o === "string" ? (
              <option key={o} value={o}>
                {labels ? labelOf(labels, o) : humanize(o)}
              </option>
            ) : (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ),
          )}
        </select>
      )}
    </Field>
  );
}

/** A search field that reports its text 300 ms after the last keystroke. */
export function SearchBox({
  label,
  value,
  onSearch,
  placeholder,
}: {
  label: string;
  value: string;
  onSearch: (text: string) => void;
  placeholder?: string;
}) {
  const [text, setText] = useState(value);
  // Back/forward or a reset changed the URL: show its value.
  useEffect(() => {
    if (value !== text.trim()) setText(value);
  }, [value]);
  useEffect(() => {
    if (text.trim() === value) return;
    const t = setTimeout(() => onSearch(text.trim()), 300);
    return () => clearTimeout(t);
  }, [text]);
  return (
    <Field label={label}>
      {(id) => (
        <input
          id={id}
          type="search"
          value={text}
          placeholder={placeholder}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") onSearch(text.trim());
          }}
        />
      )}
    </Field>
  );
}

/** The filter row above a list. */
export function Filters({
  label,
  children,
  onReset,
  active,
}: {
  label: string;
  children: ComponentChildren;
  onReset?: () => void;
  active?: boolean;
}) {
  const t = useStore(uiText);
  return (
    // biome-ignore lint/a11y/useSemanticElements: the <search> element is too new for the browsers we support; role=search is its equivalent.
    <form class="filters" role="search" aria-label={label} onSubmit={(e) => e.preventDefault()}>
      {children}
      {onReset && active ? (
        <div class="filters-reset">
          <button type="button" class="btn btn-ghost" onClick={onReset}>
            {t.clearFilters}
          </button>
        </div>
      ) : null}
    </form>
  );
}

/**
 * "Page 2 of 5" with previous/next buttons; nothing when everything fits on one page. `count` is the
 * page's `count()` message for the total ("3 tasks" / "共 3 个任务"), else a neutral "3 items";
 * `noun` (the list's plural noun, translated) names the navigation "Pages of …", else just "Pages".
 */
export function Pager({
  page,
  totalPages,
  total,
  onPage,
  noun,
  count,
}: {
  page: number;
  totalPages: number;
  total: number;
  onPage: (page: number) => void;
  noun?: string;
  count?: (n: number) => string;
}) {
  const t = useStore(uiText);
  return (
    <div class="pager">
      <span class="muted">{count ? count(total) : t.items(total)}</span>
      {totalPages > 1 ? (
        <nav class="pager-nav" aria-label={noun ? t.pagesOf({ noun }) : t.pages}>
          <button type="button" class="btn" disabled={page <= 1} onClick={() => onPage(page - 1)}>
            {t.previous}
          </button>
          <span aria-live="polite">{t.pageOf({ page, pages: totalPages })}</span>
          <button type="button" class="btn" disabled={page >= totalPages} onClick={() => onPage(page + 1)}>
            {t.next}
          </button>
        </nav>
      ) : null}
    </div>
  );
}

/** A page number from the URL (1 when missing or invalid). */
export const pageOf = (value: string): number => {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : 1;
};

/**
 * A modal dialog (the browser's own <dialog>: focus stays inside, Escape closes, focus returns to
 * the opener). Rendered only while open; `onClose` unmounts it.
 */
export function Dialog({
  title,
  onClose,
  children,
  wide = false,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const t = useStore(uiText);
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    // Start in the first field when there is one (the browser would pick the close button).
    dialog.querySelector<HTMLElement>(".dialog-body :is(input, select, textarea)")?.focus();
    const onCloseEvent = () => closeRef.current();
    dialog.addEventListener("close", onCloseEvent);
    return () => {
      dialog.removeEventListener("close", onCloseEvent);
      if (dialog.open) dialog.close();
    };
  }, []);
  return (
    <dialog ref={ref} class={wide ? "dialog dialog-wide" : "dialog"} aria-labelledby={titleId}>
      <div class="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="btn btn-icon btn-ghost" aria-label={t.close} onClick={onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div class="dialog-body">{children}</div>
    </dialog>
  );
}

/** Busy flag and error line of one write. `run` resolves to true when the write succeeded. */
export function useAction(): {
  busy: boolean;
  error: string | null;
  run: (fn: () => Promise<unknown>) => Promise<boolean>;
  clear: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setBusy(false);
      return true;
    } catch (err) {
      setError(friendlyError(err));
      setBusy(false);
      return false;
    }
  };
  return { busy, error, run, clear: () => setError(null) };
}

/**
 * The API's detail, with a plainer sentence for the refusals an admin meets most. Read when the error
 * happens (not re-rendered on a language switch): the detail itself arrives in the language of the request.
 */
export function friendlyError(err: unknown): string {
  if (err instanceof ApiError) {
    const t = uiText.get();
    if (err.code === "agent_has_open_work") return t.agentHasOpenWork({ detail: err.message });
    if (err.code === "illegal_transition") return t.illegalTransition({ detail: err.message });
  }
  return errorMessage(err);
}

/** Submit and cancel buttons of a dialog form, with the write's error. */
export function FormActions({
  busy,
  error,
  submit,
  busyLabel,
  onCancel,
  cancelLabel,
  danger = false,
  disabled = false,
}: {
  busy: boolean;
  cancelLabel?: string;
  error: string | null;
  submit: string;
  busyLabel?: string;
  onCancel?: () => void;
  danger?: boolean;
  disabled?: boolean;
}) {
  const t = useStore(uiText);
  return (
    <>
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="form-actions">
        <button type="submit" class={danger ? "btn btn-danger-solid" : "btn btn-primary"} disabled={busy || disabled}>
          {busy ? (busyLabel ?? t.saving) : submit}
        </button>
        {onCancel ? (
          <button type="button" class="btn" onClick={onCancel}>
            {cancelLabel ?? t.cancel}
          </button>
        ) : null}
      </div>
    </>
  );
}

/**
 * Confirmation by typing the exact name: the delete button stays disabled until it matches.
 * `children` explains what goes away.
 */
export function TypedConfirm({
  name,
  action,
  onConfirm,
  onCancel,
  children,
}: {
  name: string;
  action: string;
  onConfirm: () => Promise<unknown>;
  onCancel: () => void;
  children?: ComponentChildren;
}) {
  const t = useStore(uiText);
  const [typed, setTyped] = useState("");
  const { busy, error, run } = useAction();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (typed === name) void run(onConfirm);
      }}
    >
      {children}
      <Field label={t.typeToConfirm({ name })}>
        {(id) => (
          <input
            id={id}
            autoComplete="off"
            spellcheck={false}
            value={typed}
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
        )}
      </Field>
      <FormActions
        busy={busy}
        error={error}
        submit={action}
        busyLabel={t.working}
        onCancel={onCancel}
        cancelLabel={t.back}
        danger
        disabled={typed !== name}
      />
    </form>
  );
}

/** A secret shown once (API keys): the value, a copy button and the warning. */
export function SecretOnce({ label, value }: { label: string; value: string }) {
  const t = useStore(uiText);
  return (
    <div class="field">
      <span class="label">{label}</span>
      <div class="token-row">
        <code class="token" data-testid="secret-once">
          {value}
        </code>
        <CopyButton text={value} />
      </div>
      <p class="hint">{t.secretOnce}</p>
    </div>
  );
}

/** Active agents for pickers (up to 100, by name), optionally of one role. */
export function useAgentOptions(role?: string, status: string | undefined = "active"): Resource<Page<AdminAgent>> {
  return useApi<Page<AdminAgent>>(
    withQuery("/api/admin/agents", { role, status, page_size: 100, sort_by: "name", sort_order: "asc" }),
  );
}

/** A 1–5 review score as stars, with the number for screen readers. */
export function ScoreStars({ score }: { score: number | null }) {
  const t = useStore(uiText);
  if (score === null) return <span class="muted">{t.noScore}</span>;
  const full = Math.max(0, Math.min(5, Math.round(score)));
  return (
    <span class="stars" title={t.scoreOf({ score })}>
      <span aria-hidden="true">{"★".repeat(full) + "☆".repeat(5 - full)}</span>
      <span class="sr-only">{t.scoreOf({ score })}</span>
    </span>
  );
}

/** Long free text (descriptions, prompts, bodies) kept as written. */
export function Prose({ text, empty = "—" }: { text: string | null | undefined; empty?: string }) {
  if (!text?.trim()) return <span class="muted">{empty}</span>;
  return (
    <div class="prose" data-i18n-skip>
      {text}
    </div>
  );
}

/** Key/value pairs as a description list. */
export function Facts({ items }: { items: ([string, ComponentChildren] | [string, ComponentChildren, "wide"])[] }) {
  return (
    <dl class="facts">
      {items.map(([k, v, wide]) => (
        <div key={k} class={wide}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Tabs as links that set a query value (so a tab is bookmarkable and keyboard-reachable). */
export function Tabs({
  label,
  tabs,
  current,
  onSelect,
}: {
  label: string;
  tabs: readonly { id: string; label: string }[];
  current: string;
  onSelect: (id: string) => void;
}) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a fieldset's default border and sizing break the tab row; role=group is its ARIA equivalent.
    <div class="tabs" role="group" aria-label={label}>
      {tabs.map((t) => (
        <button type="button" key={t.id} class="tab" aria-pressed={current === t.id} onClick={() => onSelect(t.id)}>
          {t.label}
        </button>
      ))}
    </div>
  );
}

/** Done sub-tasks over all but cancelled ones. */
export function Progress({ task }: { task: AdminTask }) {
  const t = useStore(uiText);
  const total = task.sub_task_count - task.cancelled_count;
  const pct = total > 0 ? Math.round((task.done_count / total) * 100) : 0;
  return (
    <span class="progress" title={t.subTasksDone({ done: task.done_count, total })}>
      <span class="progress-bar" aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
      <span class="progress-label">
        {task.done_count}/{total}
      </span>
    </span>
  );
}

/** A yes/no question before a write; the dialog stays open with the error if the write fails. */
export function ConfirmDialog({
  title,
  children,
  action,
  onConfirm,
  onClose,
  danger = false,
}: {
  title: string;
  children: ComponentChildren;
  action: string;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
  danger?: boolean;
}) {
  const t = useStore(uiText);
  const { busy, error, run } = useAction();
  return (
    <Dialog title={title} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(onConfirm).then((ok) => ok && onClose());
        }}
      >
        {children}
        <FormActions
          busy={busy}
          error={error}
          submit={action}
          busyLabel={t.working}
          onCancel={onClose}
          cancelLabel={t.back}
          danger={danger}
        />
      </form>
    </Dialog>
  );
}

/** One activity log line; on the logs and feed pages. */
export function LogEntry({ log: l }: { log: AdminLog }) {
  const t = useStore(uiText);
  const actions = useStore(actionLabels);
  const roles = useStore(roleLabels);
  return (
    <>
      <div class="entry-head">
        <Pill value={l.action} label={labelOf(actions, l.action)} />
        {l.agent_role ? (
          <a href={`/agents/${l.agent_id}`} data-i18n-skip>
            {l.agent_name ?? l.agent_id}
          </a>
        ) : (
          <strong data-i18n-skip>{l.agent_name ?? l.agent_id}</strong>
        )}
        {l.agent_role ? <span class="entry-meta">{labelOf(roles, l.agent_role)}</span> : null}
        <span class="spacer" />
        <span class="entry-meta">
          <RelTime value={l.created_at} />
        </span>
      </div>
      <Prose text={l.summary} />
      {l.sub_task_id ? (
        <div class="entry-meta">
          <a href={`/sub-tasks/${l.sub_task_id}`}>{t.subTaskRef({ id: shortId(l.sub_task_id) })}</a>
        </div>
      ) : null}
    </>
  );
}
