// Pure presentation of the support view's data (unit-tested with Vitest).
import type { DiagnosticsReport, LogLine } from "../api/types";

/** The line shown after an export: where, how many files, what was redacted, what is missing. */
export function diagnosticsSummary(report: DiagnosticsReport): string {
  const files = `${report.files.length} file${report.files.length === 1 ? "" : "s"}`;
  const redacted = report.secrets_replaced + report.settings_values_redacted;
  const secrets =
    redacted > 0
      ? `${redacted} secret value${redacted === 1 ? "" : "s"} redacted`
      : "no credential value found in any file";
  const missing = report.problems.length > 0 ? `; not collected: ${report.problems.join("; ")}` : "";
  return `Saved ${files} to ${report.archive} (${secrets})${missing}`;
}

/** A key for each line, the same for the same line on the next read (the Logs view keeps its rows):
 * its time, level and text, numbered when the same line appears more than once. */
export function lineKeys(lines: LogLine[]): string[] {
  const seen = new Map<string, number>();
  return lines.map((l) => {
    const base = `${l.at}\u001f${l.level}\u001f${l.message}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return `${base}\u001f${n}`;
  });
}
