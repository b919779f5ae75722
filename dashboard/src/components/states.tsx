import { useStore } from "@nanostores/preact";
import type { ComponentChildren } from "preact";
import { shell } from "../i18n/en/shell";
import { errorMessage } from "../lib/api";

/** Shared loading, empty and error states: every page shows one of these instead of a blank area. */

export function Loading({ label, inline = false }: { label?: string; inline?: boolean }) {
  const t = useStore(shell);
  return (
    <div class={inline ? "state state-inline" : "state"} role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      <span>{label ?? t.loading}</span>
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state state-empty">
      <p class="state-title">{title}</p>
      {children ? <div class="state-body">{children}</div> : null}
    </div>
  );
}

export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const t = useStore(shell);
  return (
    <div class="state state-error" role="alert">
      <p class="state-title">{title ?? t.somethingWentWrong}</p>
      <p class="state-body">{errorMessage(error)}</p>
      {onRetry ? (
        <button type="button" class="btn" onClick={onRetry}>
          {t.tryAgain}
        </button>
      ) : null}
    </div>
  );
}

/** A short-lived success or error line after a save, announced to screen readers. */
export function Notice({ kind, children }: { kind: "ok" | "error"; children: ComponentChildren }) {
  return (
    <p class={`notice notice-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </p>
  );
}
