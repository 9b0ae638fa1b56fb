import { describe, expect, it } from "vitest";
import { chartOf } from "./chart";

/** `n` days ending on 2026-11-29, each with the count `count(i)`. */
function days(n: number, count: (i: number) => number): [string, number][] {
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(2026, 10, 29 - (n - 1 - i)));
    return [d.toISOString().slice(0, 10), count(i)];
  });
}

describe("orders sent per day", () => {
  it("scales each day against the busiest, oldest first", () => {
    const chart = chartOf(
      [
        ["2026-11-29", 50],
        ["2026-11-28", 100],
      ],
      "en-US",
    );
    expect(chart.bars.map((b) => b.day)).toEqual(["2026-11-28", "2026-11-29"]);
    expect(
      chart.bars.map((b) => b.percent),
      "the busiest day is full height",
    ).toEqual([100, 50]);
    expect(chart.top).toBe(100);
  });

  it("writes the date under today and every seventh day before it", () => {
    const chart = chartOf(
      days(30, () => 0),
      "en-US",
    );
    const labelled = chart.bars.filter((b) => b.label).map((b) => b.label);
    expect(labelled).toEqual(["Nov 1", "Nov 8", "Nov 15", "Nov 22", "Nov 29"]);
  });

  it("one busy day is one bar among the empty ones, not the whole width", () => {
    const chart = chartOf(
      days(30, (i) => (i === 29 ? 38 : 0)),
      "en-US",
    );
    expect(chart.bars).toHaveLength(30);
    expect(chart.bars.filter((b) => b.percent > 0).map((b) => b.day)).toEqual(["2026-11-29"]);
  });

  it("says it in words for a screen reader", () => {
    const chart = chartOf(
      days(30, (i) => (i === 27 ? 50 : i === 29 ? 38 : 0)),
      "en-US",
    );
    expect(chart.summary).toBe(
      "Orders sent to ShipStation per day, the last 30 days: 88 orders in all; today, Sunday, November 29, 2026, 38; " +
        "the busiest day Friday, November 27, 2026, with 50.",
    );
    expect(chartOf(days(30, () => 0)).summary).toBe("Orders sent to ShipStation per day: none in the last 30 days.");
  });
});
