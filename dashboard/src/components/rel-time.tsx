import { useStore } from "@nanostores/preact";
import { language } from "../i18n";
import { shell } from "../i18n/en/shell";
import { formatAbsolute, formatRelative } from "../lib/format";
import { useNow } from "../lib/hooks";

/** "5 minutes ago", with the absolute local time in the tooltip; refreshes every 30 s and on a language switch. */
export function RelTime({ value, fallback }: { value: string | null | undefined; fallback?: string }) {
  const now = useNow();
  useStore(language);
  const t = useStore(shell);
  if (!value) return <span class="muted">{fallback ?? t.never}</span>;
  const absolute = formatAbsolute(value);
  return (
    <time dateTime={value} title={absolute}>
      {/* The shared clock ticks every 30 s; never show freshly polled data as "in the future". */}
      {formatRelative(value, Math.max(now, Date.now()))}
    </time>
  );
}
