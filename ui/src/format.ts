// Pure presentation helpers (unit-tested with Vitest): no business rule lives here.
import type { Health, Pass, ReconciliationRow, SyncEvent } from "./api/types";

const PASS_LABEL: Record<Pass, string> = {
  reference: "Reading stores, warehouses and carriers",
  orders_out: "Sending orders to ShipStation",
  tracking_back: "Bringing tracking back to Quipt",
  cancellations: "Checking cancellations",
  acknowledging: "Acknowledging in Quipt",
};

/** The progress bar's fraction (0..1) and text for a progress event; an unknown total shows as 0. */
export function progressOf(event: Extract<SyncEvent, { type: "progress" }>): { fraction: number; text: string } {
  const fraction = event.total > 0 ? Math.min(1, event.done / event.total) : 0;
  const count = event.total > 0 ? ` ${event.done}/${event.total}` : "";
  return { fraction, text: `${PASS_LABEL[event.pass]}${count}` };
}

/** The dashboard's line while Quipt still owes acknowledgements ("acknowledging 3,200 orders in Quipt"), or "" without a backlog. */
export function acknowledgingText(backlog: number): string {
  if (backlog <= 0) return "";
  return `acknowledging ${backlog.toLocaleString("en-US")} order${backlog === 1 ? "" : "s"} in Quipt`;
}

/** Bar heights (percent of the busiest day) for the orders-per-day chart, oldest first. */
export function chartBars(perDay: [string, number][]): { day: string; count: number; percent: number }[] {
  const max = Math.max(1, ...perDay.map(([, n]) => n));
  return [...perDay]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, count]) => ({ day, count, percent: Math.round((count / max) * 100) }));
}

/** "3 min ago" style text for an RFC 3339 time, or "never". */
export function ago(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return "never";
  const seconds = Math.round((now.getTime() - new Date(iso).getTime()) / 1000);
  if (seconds < 0) return `in ${until(-seconds)}`;
  if (seconds < 60) return "just now";
  return `${until(seconds)} ago`;
}

function until(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}

/** The last reconciliation in a few words: "clean · 2 h ago", "3 findings · 2 h ago", or "never". */
export function reconciliationText(r: ReconciliationRow | null, now: Date = new Date()): string {
  if (!r) return "never";
  const what = r.clean ? "clean" : `${r.findings} finding${r.findings === 1 ? "" : "s"}`;
  return `${what} · ${ago(r.at, now)}`;
}

/** The health in a few words (the engine's reason says why). */
export function healthText(health: Health): string {
  return { first_sync: "First sync in progress", ok: "All good", warning: "Needs attention", failing: "Sync failing" }[health];
}
