// The orders-per-day chart: one bar per local day (the engine sends every day of the window, empty
// ones as 0, today last), a date under every seventh day counting back from today, the count over
// each bar that has one, the scale's top on the side, and one sentence for a screen reader.
import { h } from "../dom";
import { plural } from "../format";
import { dayInFull, dayLabel } from "../time";

export interface Bar {
  day: string;
  count: number;
  /** Height as a share of the scale's top (0..100). */
  percent: number;
  /** The date is written under this bar. */
  label: string | null;
}

export interface Chart {
  bars: Bar[];
  /** The scale's top: the busiest day, at least 1. */
  top: number;
  /** The chart in words (its text alternative). */
  summary: string;
}

/** Every seventh day, counting back from today, gets its date written under it. */
const LABEL_EVERY = 7;

export function chartOf(perDay: [string, number][], locale?: string): Chart {
  const days = [...perDay].sort(([a], [b]) => a.localeCompare(b));
  const top = Math.max(1, ...days.map(([, n]) => n));
  const bars = days.map(([day, count], i) => ({
    day,
    count,
    percent: Math.round((count / top) * 100),
    label: (days.length - 1 - i) % LABEL_EVERY === 0 ? dayLabel(day, locale) : null,
  }));
  return { bars, top, summary: summaryOf(days, locale) };
}

function summaryOf(days: [string, number][], locale?: string): string {
  const span = `the last ${plural(days.length, "day")}`;
  const total = days.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return `Orders sent to ShipStation per day: none in ${span}.`;
  const [today, todays] = days[days.length - 1];
  const [busiest, most] = days.reduce((best, day) => (day[1] > best[1] ? day : best));
  return (
    `Orders sent to ShipStation per day, ${span}: ${plural(total, "order")} in all; ` +
    `today, ${dayInFull(today, locale)}, ${todays}; the busiest day ${dayInFull(busiest, locale)}, with ${most}.`
  );
}

/** The chart as elements: an image to assistive technology, named by its summary. */
export function renderChart(host: HTMLElement, chart: Chart): void {
  host.setAttribute("role", "img");
  host.setAttribute("aria-label", chart.summary);
  const columns = chart.bars.map((bar) => {
    const column = h(
      "div",
      { class: "chart-column", title: `${dayInFull(bar.day)}: ${plural(bar.count, "order")}` },
      h("span", { class: "chart-count" }, bar.count > 0 ? bar.count : ""),
      h("div", { class: "chart-bar" }),
    );
    (column.lastElementChild as HTMLElement).style.height = `${bar.count > 0 ? Math.max(2, bar.percent) : 0}%`;
    return column;
  });
  const labels = chart.bars.map((bar) => h("span", { class: "chart-label" }, bar.label ?? ""));
  host.replaceChildren(
    h("div", { class: "chart-scale" }, h("span", {}, chart.top), h("span", {}, 0)),
    h(
      "div",
      { class: "chart-plot" },
      h("div", { class: "chart-bars" }, ...columns),
      h("div", { class: "chart-axis" }, ...labels),
    ),
  );
}
