// Errors in the webview reach the log files (issue 18): uncaught exceptions and rejected promises
// are sent to the `log_webview_error` command, which writes them with the engine's own lines, so
// the Logs view and a diagnostics bundle show what went wrong in the window.

/** At most this many reports per window: an error thrown in a loop must not fill the log files. */
export const MAX_REPORTS = 50;

/** An error's report in one text: what was thrown, where, and the first lines of its stack. */
export function describeError(kind: "uncaught error" | "unhandled rejection", thrown: unknown, where?: string): string {
  let what: string;
  if (thrown instanceof Error) {
    const stack = (thrown.stack ?? "")
      .split("\n")
      .filter((line) => !["", "@"].includes(line.trim()) && !line.includes(thrown.message))
      .slice(0, 8);
    what = [`${thrown.name}: ${thrown.message}`, ...stack.map((line) => `  ${line.trim()}`)].join("\n");
  } else if (thrown && typeof thrown === "object" && "message" in thrown) {
    const code = "code" in thrown ? `${String((thrown as { code: unknown }).code)}: ` : "";
    what = `${code}${String((thrown as { message: unknown }).message)}`;
  } else {
    what = String(thrown);
  }
  return `${kind}${where ? ` at ${where}` : ""}: ${what}`;
}

/** Sends every uncaught error and unhandled rejection of `target` through `send`, up to MAX_REPORTS. */
export function reportWebviewErrors(send: (report: string) => Promise<unknown>, target: Window = window): void {
  let sent = 0;
  const report = (text: string) => {
    sent += 1;
    if (sent > MAX_REPORTS) return;
    const last = sent === MAX_REPORTS ? ` (the last reported: ${MAX_REPORTS} already)` : "";
    // A report that cannot be sent is dropped: reporting its failure would loop.
    send(text + last).catch(() => undefined);
  };
  target.addEventListener("error", (e) => {
    const where = e.filename ? `${e.filename}:${e.lineno}:${e.colno}` : undefined;
    report(describeError("uncaught error", e.error ?? e.message, where));
  });
  target.addEventListener("unhandledrejection", (e) => report(describeError("unhandled rejection", e.reason)));
}
