import { describe, expect, it } from "vitest";
import { savedText } from "./settings";

describe("Save in Settings", () => {
  it.each([
    [0, "Saved: All orders to a single store?"],
    [1, "Saved: All orders to a single store? — 1 order held for a setting goes to ShipStation on the next run."],
    [7, "Saved: All orders to a single store? — 7 orders held for a setting go to ShipStation on the next run."],
    [
      null,
      "Saved: All orders to a single store? — orders held for a setting are planned again on the next run (they could not be counted now).",
    ],
  ])("with %s released orders says %s", (released, text) => {
    expect(savedText("3. All orders to a single store?", released)).toBe(text);
  });
});
