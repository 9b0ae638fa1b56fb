// Support: Export diagnostics (the bundle a support ticket needs) and the log files' newest lines,
// filtered by level. Reachable from the wizard too, since a failing setup is when it is needed.
import { h, errorText } from "../dom";
import { exportDiagnostics, logs } from "../api/commands";
import type { LogLevel, LogLine, SyncEvent } from "../api/types";
import { showInFolderButton } from "../folder";
import { syncRows } from "../rows";
import { timeElement } from "../time";
import { diagnosticsSummary, lineKeys } from "./summary";

const LEVELS: [LogLevel, string][] = [
  ["info", "Info, warnings and errors"],
  ["warn", "Warnings and errors"],
  ["error", "Errors only"],
  ["debug", "Everything (debug)"],
];
const SHOWN = 500;

/** Renders the view; its `onEvent` follows the files while it is shown. The engine logs every event
 * before sending it, so an event is when the log has grown: the files are read again then, not on a
 * timer. Progress is logged at debug only, so it does not count. */
export function renderSupport(root: HTMLElement): { onEvent: (e: SyncEvent) => void } {
  const level = h(
    "select",
    { id: "log-level", onchange: () => void load() },
    ...LEVELS.map(([v, label]) => h("option", { value: v }, label)),
  );
  const rows = h("tbody");
  const lines = h(
    "table",
    { id: "log-lines", "aria-labelledby": "logs-title" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Time"),
        h("th", { scope: "col" }, "Level"),
        h("th", { scope: "col" }, "Message"),
      ),
    ),
    rows,
  );
  const where = h("p", { id: "log-dir", class: "hint" });
  const result = h("p", { id: "diagnostics-result", role: "status" });
  const reveal = h("span", { id: "diagnostics-folder" });
  const exportButton = h(
    "button",
    {
      id: "export-diagnostics",
      type: "button",
      class: "primary",
      onclick: async () => {
        exportButton.setAttribute("disabled", "");
        result.textContent = "Collecting…";
        reveal.replaceChildren();
        try {
          const report = await exportDiagnostics();
          result.textContent = report ? diagnosticsSummary(report) : "Export cancelled";
          if (report) reveal.replaceChildren(showInFolderButton(report.archive, "show-diagnostics"));
        } catch (e) {
          result.textContent = errorText(e);
        } finally {
          exportButton.removeAttribute("disabled");
        }
      },
    },
    "Export diagnostics…",
  );

  async function load(): Promise<void> {
    try {
      const tail = await logs(level.value as LogLevel, SHOWN);
      where.textContent = `${tail.files} log file${tail.files === 1 ? "" : "s"} in ${tail.dir} (one per day, the last 14 kept); newest first.`;
      const keys = lineKeys(tail.lines);
      const shown = tail.lines.map((line, i) => [keys[i], line] as const);
      syncRows(
        rows,
        shown,
        ([key]) => key,
        ([, line]) => logRow(line),
        () => undefined,
      );
      if (tail.lines.length === 0)
        rows.replaceChildren(h("tr", {}, h("td", { colspan: 3 }, "Nothing logged at this level yet.")));
    } catch (e) {
      where.textContent = errorText(e);
    }
  }

  const logRow = (l: LogLine) =>
    h(
      "tr",
      { class: `log-${l.level}` },
      h("td", { class: "nowrap" }, timeElement(l.at, "exact")),
      h("td", {}, l.level),
      h("td", { class: "log-message", title: l.target }, l.message),
    );

  const section = h(
    "section",
    { id: "support", "aria-label": "Logs and support" },
    h("h2", {}, "Export diagnostics"),
    h(
      "p",
      {},
      "One .zip to attach to a support ticket: the log files, the settings, the schema version and the recent history. Every credential is replaced by <redacted>; the order database itself is not included.",
    ),
    exportButton,
    h("div", { class: "row" }, result, reveal),
    h("h2", { id: "logs-title" }, "Logs"),
    h(
      "div",
      { class: "row" },
      h("label", {}, "Show ", level),
      h("button", { id: "log-refresh", type: "button", onclick: () => void load() }, "Refresh"),
    ),
    where,
    lines,
  );
  root.replaceChildren(section);
  void load();
  return {
    onEvent: (e) => {
      // Not while the operator is selecting lines to copy: a redraw would drop the selection.
      if (e.type !== "progress" && window.getSelection()?.isCollapsed !== false) void load();
    },
  };
}
