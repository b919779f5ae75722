import { useStore } from "@nanostores/preact";
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { trendChart } from "../i18n/en/trend-chart";
import { formatDay, formatNumber } from "../lib/format";

// uPlot is imported only by this module, which only the overview page imports: the library is part
// of that page's chunk, never of the shell.

export interface Series {
  label: string;
  values: number[];
  /** A CSS custom property holding the colour, e.g. "--chart-1". */
  color: string;
}

/** Every series counts whole things: y ticks at whole steps only. */
const WHOLE_STEPS = [
  1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 1_000_000,
];
const dark = () => window.matchMedia("(prefers-color-scheme: dark)");

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

/** "2026-11-28" → local midnight in Unix seconds (uPlot's time scale). */
function dayToSeconds(day: string): number {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).getTime() / 1000;
}

function buildOptions(width: number, series: Series[], title: string, dayName: string): uPlot.Options {
  const axis = cssVar("--muted");
  const grid = cssVar("--border");
  return {
    title: undefined,
    width,
    height: 200,
    padding: [12, 28, 0, 0],
    cursor: { drag: { x: false, y: false }, points: { size: 7 } },
    legend: { show: true, live: true },
    scales: { x: { time: true } },
    axes: [
      {
        stroke: axis,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        space: 56,
        values: (_u, splits) => splits.map((v) => formatDay(v * 1000)),
      },
      {
        stroke: axis,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        size: 44,
        incrs: WHOLE_STEPS,
        values: (_u, splits) => splits.map((v) => formatNumber(v)),
      },
    ],
    series: [
      { label: dayName, value: (_u, v) => (v == null ? "–" : formatDay(v * 1000)) },
      ...series.map((s) => {
        const color = cssVar(s.color);
        return {
          label: s.label,
          stroke: color,
          width: 2,
          fill: `${color}22`,
          points: { show: true, size: 5, fill: color },
          value: (_u: uPlot, v: number | null) => (v == null ? "–" : formatNumber(v)),
        };
      }),
    ],
    // The accessible name for the canvas comes from the figure; this is for hover only.
    hooks: { init: [(u: uPlot) => u.root.setAttribute("aria-label", title)] },
  };
}

/** A line chart of daily values with a hover legend, redrawn on resize and on a colour-scheme change. */
export function TrendChart({ title, days, series }: { title: string; days: string[]; series: Series[] }) {
  const t = useStore(trendChart);
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const data: uPlot.AlignedData = [days.map(dayToSeconds), ...series.map((s) => s.values)];
    let chart: uPlot | null = null;
    const draw = () => {
      chart?.destroy();
      chart = new uPlot(buildOptions(Math.max(200, el.clientWidth), series, title, t.day), data, el);
    };
    draw();
    const resize = new ResizeObserver(() => {
      if (chart && Math.abs(chart.width - el.clientWidth) > 2)
        chart.setSize({ width: Math.max(200, el.clientWidth), height: 200 });
    });
    resize.observe(el);
    const scheme = dark();
    scheme.addEventListener("change", draw);
    return () => {
      scheme.removeEventListener("change", draw);
      resize.disconnect();
      chart?.destroy();
    };
    // `t` changes on a language switch: the axis dates and the legend are redrawn in the new language.
  }, [days, series, title, t]);

  // "Created 12 · Completed 9": a label and a number read the same way in both languages.
  const totals = series.map((s) => `${s.label} ${formatNumber(s.values.reduce((a, b) => a + b, 0))}`).join(" · ");
  return (
    <figure class="chart card">
      <figcaption>
        <span class="chart-title">{title}</span>
        <span class="chart-total">{totals}</span>
      </figcaption>
      <div ref={host} class="chart-canvas" data-testid="trend-chart" />
      <table class="sr-only">
        <caption>{t.byDay({ title })}</caption>
        <thead>
          <tr>
            <th scope="col">{t.day}</th>
            {series.map((s) => (
              <th scope="col" key={s.label}>
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {days.map((d, i) => (
            <tr key={d}>
              <th scope="row">{d}</th>
              {series.map((s) => (
                <td key={s.label}>{s.values[i] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
