import { describe, expect, it } from "vitest";
import { acknowledgingText, ago, chartBars, healthText, progressOf, reconciliationText } from "./format";
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

describe("orders per day chart", () => {
  it("scales each day against the busiest and sorts oldest first", () => {
    const bars = chartBars([["2025-01-02", 50], ["2025-01-01", 100]]);
    expect(bars.map((b) => b.day)).toEqual(["2025-01-01", "2025-01-02"]);
    expect(bars.map((b) => b.percent), "the busiest day is full height").toEqual([100, 50]);
  });
  it("an empty history draws no bar", () => {
    expect(chartBars([])).toEqual([]);
  });
});

describe("times and health", () => {
  it("says never before the first sync and minutes after", () => {
    const now = new Date("2025-01-01T12:10:00Z");
    expect(ago(null, now)).toBe("never");
    expect(ago("2025-01-01T12:00:00Z", now)).toBe("10 min ago");
    expect(ago("2025-01-01T12:25:00Z", now), "the next run is in the future").toBe("in 15 min");
  });
  it("names each health in words", () => {
    expect(healthText("warning")).toBe("Needs attention");
    expect(healthText("first_sync")).toBe("First sync in progress");
  });
});

describe("last reconciliation", () => {
  const now = new Date("2025-01-01T12:00:00Z");
  const row = (counts: Partial<ReconciliationRow>): ReconciliationRow => ({
    id: 1, at: "2025-01-01T10:00:00Z", trigger: "daily",
    missing_in_shipstation: 0, shipped_without_tracking: 0, cancel_mismatch: 0, held: 0, findings: 0, clean: true,
    ...counts,
  });
  it("says clean and how long ago when both sides agree", () => {
    expect(reconciliationText(row({}), now)).toBe("clean · 2 h ago");
  });
  it("counts the findings of every list when they disagree", () => {
    const r = row({ missing_in_shipstation: 1, held: 2, findings: 3, clean: false });
    expect(reconciliationText(r, now)).toBe("3 findings · 2 h ago");
    expect(reconciliationText({ ...r, held: 0, findings: 1 }, now), "one finding, singular").toBe("1 finding · 2 h ago");
  });
  it("says never before the first reconciliation", () => {
    expect(reconciliationText(null, now)).toBe("never");
  });
});
