// Pure presentation of the support view's data (unit-tested with Vitest).
import type { DiagnosticsReport, LogLine } from "../api/types";

/** The line shown after an export: where, how many files, what was redacted, what is missing. */
export function diagnosticsSummary(report: DiagnosticsReport): string {
  const files = `${report.files.length} file${report.files.length === 1 ? "" : "s"}`;
  const redacted = report.secrets_replaced + report.settings_values_redacted;
  const secrets = redacted > 0 ? `${redacted} secret value${redacted === 1 ? "" : "s"} redacted` : "no credential value found in any file";
  const missing = report.problems.length > 0 ? `; not collected: ${report.problems.join("; ")}` : "";
  return `Saved ${files} to ${report.archive} (${secrets})${missing}`;
}

/** A log line's time as the operator's local date and time, to the second. */
export function logTime(line: LogLine): string {
  const at = new Date(line.at);
  if (Number.isNaN(at.getTime())) return line.at;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}
