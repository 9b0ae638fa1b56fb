// Every time the app shows goes through here: the engine sends RFC 3339 UTC instants, the operator
// reads them in the computer's own time zone, in words relative to now ("5 minutes ago"), with the
// exact local time on hover (Logs shows the exact local time itself, `shortTime`). One formatter
// on Intl, so History, the timeline, Runs, the dashboard and Logs agree. `Clock` holds what the
// formatting depends on (now, locale, zone), so tests pin it.
import { h } from "./dom";

export interface Clock {
  now: Date;
  /** A BCP 47 locale; undefined: the system's. */
  locale?: string;
  /** An IANA time zone; undefined: the system's (the app's `TZ` or the computer's). */
  timeZone?: string;
}

const systemClock = (): Clock => ({ now: new Date() });

/** Parses an RFC 3339 instant; null when it is not one (a log line written by hand, say). */
function instant(iso: string): Date | null {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** The exact local time, to the second, with its zone: "Nov 29, 2026, 5:55:07 PM EST". */
export function exactTime(iso: string, clock: Clock = systemClock()): string {
  const at = instant(iso);
  if (!at) return iso;
  return new Intl.DateTimeFormat(clock.locale, {
    dateStyle: "medium",
    timeStyle: "long",
    timeZone: clock.timeZone,
  }).format(at);
}

/** A compact local date and time to the second ("11/29/26, 5:55:07 PM"): the Logs view's column. */
export function shortTime(iso: string, clock: Clock = systemClock()): string {
  const at = instant(iso);
  if (!at) return iso;
  return new Intl.DateTimeFormat(clock.locale, {
    dateStyle: "short",
    timeStyle: "medium",
    timeZone: clock.timeZone,
  }).format(at);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
];

/** "just now", "5 minutes ago", "in 15 minutes", "yesterday", "3 days ago"; "never" for none. */
export function relativeTime(iso: string | null | undefined, clock: Clock = systemClock()): string {
  if (!iso) return "never";
  const at = instant(iso);
  if (!at) return iso;
  const seconds = Math.round((at.getTime() - clock.now.getTime()) / 1000);
  if (Math.abs(seconds) < 60) return "just now";
  const [unit, size] = UNITS.find(([, size]) => Math.abs(seconds) >= size) ?? UNITS[UNITS.length - 1];
  return new Intl.RelativeTimeFormat(clock.locale, { numeric: "auto" }).format(Math.round(seconds / size), unit);
}

/** A local calendar date sent as `YYYY-MM-DD` (the chart's days), short: "Nov 29". */
export function dayLabel(day: string, locale?: string): string {
  const at = instant(`${day}T00:00:00Z`);
  if (!at) return day;
  // The date is already local: formatted in UTC so that no zone moves it to another day.
  return new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }).format(at);
}

/** The same date in full, for the chart's text alternative: "Sunday, November 29, 2026". */
export function dayInFull(day: string, locale?: string): string {
  const at = instant(`${day}T00:00:00Z`);
  if (!at) return day;
  return new Intl.DateTimeFormat(locale, { dateStyle: "full", timeZone: "UTC" }).format(at);
}

/** The start of a local date picked in a date input (`YYYY-MM-DD`), as an RFC 3339 instant. */
export function localMidnight(day: string): string | null {
  const at = instant(`${day}T00:00:00`);
  return at ? at.toISOString() : null;
}

/**
 * A `<time>` element: relative words (or the exact time, `show: "exact"`), the exact local time
 * on hover. Relative ones are kept current by `refreshTimes`.
 */
export function timeElement(iso: string | null | undefined, show: "relative" | "exact" = "relative"): HTMLTimeElement {
  const el = h("time");
  setTime(el, iso, show);
  return el;
}

/** Points a `<time>` element at another instant, writing only what changed (see `setText`). */
export function setTime(
  el: HTMLElement,
  iso: string | null | undefined,
  show: "relative" | "exact" = "relative",
): void {
  const text = show === "exact" && iso ? shortTime(iso) : relativeTime(iso);
  if (el.textContent !== text) el.textContent = text;
  if (iso) {
    el.setAttribute("datetime", iso);
    el.title = exactTime(iso);
  } else {
    el.removeAttribute("datetime");
    el.removeAttribute("title");
  }
  if (show === "relative") el.dataset.relative = "";
}

/** Brings every relative time under `root` up to date ("5 minutes ago" becomes "6 minutes ago"). */
export function refreshTimes(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>("time[data-relative][datetime]").forEach((el) => {
    setTime(el, el.getAttribute("datetime"));
  });
}
