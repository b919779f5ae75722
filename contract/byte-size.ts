// A byte count as people read it, shared by the dashboard and the CLI (file sizes and limits).

const UNITS = ["KiB", "MiB", "GiB", "TiB"];

/** 512 → "512 B", 1536 → "1.5 KiB", 25 MiB → "25 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value >= 100 || Number.isInteger(value) ? String(Math.round(value)) : value.toFixed(1);
  return `${shown.replace(/\.0$/, "")} ${UNITS[unit]}`;
}
