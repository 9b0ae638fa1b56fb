import { describe, expect, it } from "vitest";
import {
  acknowledgingText,
  healthText,
  OUTCOME_LABEL,
  plural,
  progressOf,
  reconciliationText,
  runNotes,
  STATE_LABEL,
  TIMELINE_LABEL,
} from "./format";
import type { ReconciliationRow } from "./api/types";

describe("progress", () => {
  it("a pass with a known total fills the bar by its share done", () => {
    const p = progressOf({ type: "progress", pass: "orders_out", done: 50, total: 200 });
    expect(p.fraction, "50 of 200 is a quarter").toBe(0.25);
    expect(p.text).toBe("Sending orders to ShipStation 50/200");
  });
  it("the acknowledgement lane says what it does with its count", () => {
    const p = progressOf({ type: "progress", pass: "acknowledging", done: 40, total: 138 });
    expect(p.text).toBe("Acknowledging in Quipt 40/138");
  });
  it("the dashboard names the acknowledgement backlog only while there is one", () => {
    expect(acknowledgingText(3200)).toBe("acknowledging 3,200 orders in Quipt");
    expect(acknowledgingText(1)).toBe("acknowledging 1 order in Quipt");
    expect(acknowledgingText(0), "no backlog, no line").toBe("");
  });
  it("an unknown total shows an empty bar and no count", () => {
    const p = progressOf({ type: "progress", pass: "reference", done: 3, total: 0 });
    expect(p.fraction).toBe(0);
    expect(p.text, "no 3/0 for the user").not.toContain("/");
  });
});

describe("the engine's codes in words", () => {
  it("names each health", () => {
    expect(healthText("warning")).toBe("Needs attention");
    expect(healthText("first_sync")).toBe("First sync in progress");
  });
  it("names states, timeline entries and outcomes without underscores", () => {
    for (const words of [
      ...Object.values(STATE_LABEL),
      ...Object.values(TIMELINE_LABEL),
      ...Object.values(OUTCOME_LABEL),
    ]) {
      expect(words, "a word for the operator, not a code").not.toMatch(/_/);
    }
    expect(TIMELINE_LABEL.tracking_reported).toBe("Tracking sent to Quipt");
  });
  it("counts in the singular and the plural", () => {
    expect(plural(1, "order")).toBe("1 order");
    expect(plural(3, "order")).toBe("3 orders");
  });
});

describe("last reconciliation", () => {
  const clock = { now: new Date("2025-01-01T12:00:00Z"), locale: "en-US" };
  const row = (counts: Partial<ReconciliationRow>): ReconciliationRow => ({
    id: 1,
    at: "2025-01-01T10:00:00Z",
    trigger: "daily",
    missing_in_shipstation: 0,
    shipped_without_tracking: 0,
    cancel_mismatch: 0,
    held: 0,
    findings: 0,
    clean: true,
    ...counts,
  });
  it("says clean and how long ago when both sides agree", () => {
    expect(reconciliationText(row({}), clock)).toBe("clean · 2 hours ago");
  });
  it("counts the findings of every list when they disagree", () => {
    const r = row({ missing_in_shipstation: 1, held: 2, findings: 3, clean: false });
    expect(reconciliationText(r, clock)).toBe("3 findings · 2 hours ago");
    expect(reconciliationText({ ...r, held: 0, findings: 1 }, clock), "one finding, singular").toBe(
      "1 finding · 2 hours ago",
    );
  });
  it("says never before the first reconciliation", () => {
    expect(reconciliationText(null, clock)).toBe("never");
  });
});

describe("run notes", () => {
  it("say whose rate limit the run met, then its warnings", () => {
    const warning = "ShipStation's stores, warehouses and carriers could not be read again (503)";
    expect(runNotes({ rate_limited: 2, quipt_rate_limited: 1, warnings: [warning] })).toEqual([
      "Met the rate limit: ShipStation 2 times, Quipt 1 time (another application on the account may share it)",
      warning,
    ]);
    expect(runNotes({ rate_limited: 0, quipt_rate_limited: 3 })[0]).toContain("Quipt 3 times");
    expect(runNotes({ rate_limited: 0, quipt_rate_limited: 3 })[0]).not.toContain("ShipStation");
  });
  it("are empty for a run with nothing to say, as an older version's summary reads", () => {
    expect(runNotes({ rate_limited: 0, quipt_rate_limited: 0, warnings: [] })).toEqual([]);
    expect(runNotes({ rate_limited: 0, quipt_rate_limited: 0 })).toEqual([]);
  });
});
