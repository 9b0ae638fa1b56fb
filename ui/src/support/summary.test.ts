import { describe, expect, it } from "vitest";
import type { DiagnosticsReport } from "../api/types";
import { diagnosticsSummary, lineKeys } from "./summary";

const report = (over: Partial<DiagnosticsReport>): DiagnosticsReport => ({
  archive: "/home/ops/diag.zip",
  files: [
    { name: "manifest.json", bytes: 10 },
    { name: "logs/a.log", bytes: 20 },
  ],
  secrets_known: 6,
  secrets_replaced: 2,
  settings_values_redacted: 1,
  problems: [],
  ...over,
});

describe("diagnostics summary", () => {
  it("says where the bundle went, how many files and how many secrets were redacted", () => {
    expect(diagnosticsSummary(report({}))).toBe("Saved 2 files to /home/ops/diag.zip (3 secret values redacted)");
  });
  it("names what could not be collected, so support knows it is missing and why", () => {
    const text = diagnosticsSummary(
      report({ secrets_replaced: 0, settings_values_redacted: 0, problems: ["no log files"] }),
    );
    expect(text).toContain("no credential value found in any file");
    expect(text).toContain("not collected: no log files");
  });
});

describe("the Logs view's rows", () => {
  it("keeps a key per line across reads, numbering a line that repeats", () => {
    const line = { at: "2026-11-25T18:00:07.123Z", level: "info" as const, target: "x", message: "m" };
    const first = lineKeys([line, { ...line, message: "n" }]);
    const again = lineKeys([{ ...line, message: "new" }, line, { ...line, message: "n" }]);
    expect(again.slice(1), "the same lines keep their keys when a newer one arrives").toEqual(first);
    const twice = lineKeys([line, line]);
    expect(new Set(twice).size, "a repeated line is a row of its own").toBe(2);
  });
});
