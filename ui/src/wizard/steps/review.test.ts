import { describe, expect, it } from "vitest";
import type { RunSummary } from "../../api/types";
import { previewLine } from "./review";

/** A dry run's summary with only the counts the line reads. */
function dry(counts: Partial<RunSummary>): RunSummary {
  return {
    created: 0,
    updated: 0,
    held: 0,
    failed: 0,
    cancelled_in_shipstation: 0,
    held_in_shipstation: 0,
    ...counts,
  } as RunSummary;
}

describe("the review's dry-run line", () => {
  it.each([
    ["a first sync", dry({ created: 128, held: 10 }), "Would create 128, update 0, hold 10; 0 would fail."],
    [
      "a history kept from before the wizard: cancellations and copies held in ShipStation are counted too",
      dry({ created: 2, updated: 1, held: 1, cancelled_in_shipstation: 3, held_in_shipstation: 1 }),
      "Would create 2, update 1, hold 1, cancel 3, put 1 on hold in ShipStation; 0 would fail.",
    ],
    ["failures", dry({ created: 1, failed: 2 }), "Would create 1, update 0, hold 0; 2 would fail."],
  ])("%s", (_, summary, line) => {
    expect(previewLine(summary)).toBe(line);
  });
});
