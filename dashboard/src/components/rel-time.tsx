import { formatAbsolute, formatRelative } from "../lib/format";
import { useNow } from "../lib/hooks";

/** "5 minutes ago", with the absolute local time in the tooltip; refreshes every 30 s. */
export function RelTime({ value, fallback = "never" }: { value: string | null | undefined; fallback?: string }) {
  const now = useNow();
  if (!value) return <span class="muted">{fallback}</span>;
  const absolute = formatAbsolute(value);
  return (
    <time dateTime={value} title={absolute}>
      {/* The shared clock ticks every 30 s; never show freshly polled data as "in the future". */}
      {formatRelative(value, Math.max(now, Date.now()))}
    </time>
  );
}
