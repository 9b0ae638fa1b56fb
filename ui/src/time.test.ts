import { describe, expect, it } from "vitest";
import { dayInFull, dayLabel, exactTime, localMidnight, relativeTime, shortTime } from "./time";

const at = (iso: string) => ({ now: new Date(iso), locale: "en-US" });

describe("every time in the operator's zone", () => {
  it("shows the exact time in the zone given, with the zone's name", () => {
    const clock = { ...at("2026-11-30T12:00:00Z"), timeZone: "America/New_York" };
    expect(exactTime("2026-11-30T01:30:07Z", clock), "8:30 pm in New York is the 29th there").toBe(
      "Nov 29, 2026, 8:30:07 PM EST",
    );
    expect(shortTime("2026-11-30T01:30:07Z", clock)).toBe("11/29/26, 8:30:07 PM");
    expect(exactTime("2026-07-01T12:00:00Z", clock), "summer time has its own name").toBe(
      "Jul 1, 2026, 8:00:00 AM EDT",
    );
  });

  it("npm test runs in New York's zone, so nothing here passes by being UTC", () => {
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe("America/New_York");
    expect(
      exactTime("2026-11-30T01:30:07Z", { now: new Date(), locale: "en-US" }),
      "the system's zone by default",
    ).toContain("EST");
  });

  it("a date picked in a date input starts at the local midnight", () => {
    expect(localMidnight("2026-11-29"), "midnight in New York is 5 am UTC").toBe("2026-11-29T05:00:00.000Z");
    expect(localMidnight("")).toBeNull();
  });

  it("an unreadable time is shown as written", () => {
    expect(exactTime("yesterday")).toBe("yesterday");
    expect(relativeTime("yesterday")).toBe("yesterday");
  });
});

describe("relative words", () => {
  const now = at("2026-11-29T12:10:00Z");
  it.each([
    [null, "never"],
    ["2026-11-29T12:09:30Z", "just now"],
    ["2026-11-29T12:05:00Z", "5 minutes ago"],
    ["2026-11-29T12:25:00Z", "in 15 minutes"],
    ["2026-11-29T10:10:00Z", "2 hours ago"],
    ["2026-11-28T12:10:00Z", "yesterday"],
    ["2026-11-26T12:10:00Z", "3 days ago"],
  ])("%s is %s", (iso, words) => {
    expect(relativeTime(iso, now)).toBe(words);
  });
});

describe("the chart's days", () => {
  it("are local dates already: no zone moves them", () => {
    expect(dayLabel("2026-11-29", "en-US")).toBe("Nov 29");
    expect(dayInFull("2026-11-29", "en-US")).toBe("Sunday, November 29, 2026");
  });
});
