// Pure presentation helpers (unit-tested with Vitest): the engine's codes in the operator's words.
// No business rule lives here; times are in time.ts.
import type {
  Health,
  OrderState,
  Pass,
  ReconciliationRow,
  RunOutcome,
  RunSummary,
  Settle,
  SyncEvent,
  TimelineKind,
  TrackingState,
  Trigger,
} from "./api/types";
import { relativeTime, type Clock } from "./time";

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

/** The last reconciliation in a few words: "clean · 2 hours ago", "3 findings · 2 hours ago", or "never". */
export function reconciliationText(r: ReconciliationRow | null, clock?: Clock): string {
  if (!r) return "never";
  const what = r.clean ? "clean" : `${r.findings} finding${r.findings === 1 ? "" : "s"}`;
  return `${what} · ${relativeTime(r.at, clock)}`;
}

/** The health in a few words (the engine's reason says why). */
export function healthText(health: Health): string {
  return { first_sync: "First sync in progress", ok: "All good", warning: "Needs attention", failing: "Sync failing" }[
    health
  ];
}

/** An order's state as a word (the badge, the tables, the filter). */
export const STATE_LABEL: Record<OrderState, string> = {
  pending: "Pending",
  pushed: "In ShipStation",
  held: "Held",
  failed: "Failed",
  shipped: "Shipped",
  cancelled: "Cancelled",
  conflict: "Conflict",
  settled: "Settled",
};

/** Why Mark settled refused (null: it settled), in the operator's words. */
export function settleRefusal(answer: Settle): string | null {
  switch (answer.outcome) {
    case "settled":
      return null;
    case "unknown":
      return "the history has no such order";
    case "not_a_conflict":
      return `it is ${STATE_LABEL[answer.state].toLowerCase()}, not in conflict: only a conflict can be marked settled`;
  }
}

/** What a timeline entry records, in words. */
export const TIMELINE_LABEL: Record<TimelineKind, string> = {
  held: "Held",
  released: "Released",
  pushed: "Sent to ShipStation",
  updated: "Updated in ShipStation",
  update_not_sent: "Update not sent",
  note: "Note",
  push_failed: "Sending failed",
  cancelled_in_shipstation: "Cancelled in ShipStation",
  cancelled_in_quipt: "Cancelled in Quipt",
  conflict: "Conflict",
  gone_in_quipt: "Gone from Quipt",
  read_refused: "Quipt would not give the order",
  shipped_in_quipt: "Shipped in Quipt another way",
  acknowledged: "Accepted in Quipt",
  acknowledge_failed: "Acceptance in Quipt failed",
  not_acknowledged: "Not accepted in Quipt (closed there)",
  tracking_reported: "Tracking sent to Quipt",
  tracking_withdrawn: "Tracking withdrawn",
  label_voided: "Label voided",
  split: "Split in ShipStation",
  retry_requested: "Retry requested",
  settled: "Settled by the operator",
};

/** What started a run. */
export const TRIGGER_LABEL: Record<Trigger, string> = {
  schedule: "Schedule",
  sync_now: "Sync now",
  cli: "Command line",
};

/** How a run ended. */
export const OUTCOME_LABEL: Record<RunOutcome, string> = {
  running: "Running",
  ok: "OK",
  attention: "Needs attention",
  failed: "Failed",
  interrupted: "Interrupted",
};

/** What became of a shipment or fulfilment reported to Quipt. */
export const TRACKING_LABEL: Record<TrackingState, string> = {
  reported: "Reported to Quipt",
  withdrawn: "Withdrawn",
  void_flagged: "Voided, not withdrawn: check Quipt",
  voided_unreported: "Voided before it was reported",
  refused: "Refused by Quipt: Retry reports it again",
};

/** "1 order" / "3 orders". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What a run says beyond its counts, for the dashboard and History: whose rate limit it met (another application on the same account spends it too), then its warnings (data it could
 * not read again and used from before, what else failed). Empty when it has nothing to say. */
export function runNotes(s: Pick<RunSummary, "rate_limited" | "quipt_rate_limited" | "warnings">): string[] {
  const waited = [
    s.rate_limited > 0 ? `ShipStation ${plural(s.rate_limited, "time")}` : null,
    s.quipt_rate_limited > 0 ? `Quipt ${plural(s.quipt_rate_limited, "time")}` : null,
  ].filter((w) => w !== null);
  const limits = waited.length
    ? [`Met the rate limit: ${waited.join(", ")} (another application on the account may share it)`]
    : [];
  return [...limits, ...(s.warnings ?? [])];
}
