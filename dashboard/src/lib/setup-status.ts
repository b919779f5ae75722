import { api } from "./api";
import type { SetupStatus } from "./types";

// Asked once per page load; the setup wizard and the settings page update it.
let cached: SetupStatus | null = null;
let pending: Promise<SetupStatus> | null = null;
const listeners = new Set<(s: SetupStatus) => void>();

export function knownSetupStatus(): SetupStatus | null {
  return cached;
}

export function loadSetupStatus(): Promise<SetupStatus> {
  if (cached) return Promise.resolve(cached);
  pending ??= api<SetupStatus>("/api/setup/status", { admin: false }).then(
    (status) => (cached = status),
    (err: unknown) => {
      pending = null;
      throw err;
    },
  );
  return pending;
}

export function updateSetupStatus(status: SetupStatus): void {
  cached = status;
  for (const listener of listeners) listener(status);
}

export function onSetupStatus(listener: (s: SetupStatus) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
