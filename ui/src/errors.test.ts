import { describe, expect, it } from "vitest";
import { describeError, MAX_REPORTS, reportWebviewErrors } from "./errors";

describe("errors in the window reach the log", () => {
  it("an exception says what, where and its stack", () => {
    const e = new TypeError("x is undefined");
    // WebKit writes a frame without a name or place as a bare "@": nothing to keep.
    e.stack = "TypeError: x is undefined\nrender@app.js:10:5\n@\nshow@app.js:20:1";
    expect(describeError("uncaught error", e, "app.js:10:5")).toBe(
      "uncaught error at app.js:10:5: TypeError: x is undefined\n  render@app.js:10:5\n  show@app.js:20:1",
    );
  });

  it("a rejected command says its code and message", () => {
    expect(describeError("unhandled rejection", { code: "app", message: "the schedule stopped" })).toBe(
      "unhandled rejection: app: the schedule stopped",
    );
    expect(describeError("unhandled rejection", "plain")).toBe("unhandled rejection: plain");
  });

  it("sends each error and rejection, and stops after the limit", async () => {
    const target = new EventTarget();
    const sent: string[] = [];
    reportWebviewErrors(
      async (report) => {
        sent.push(report);
      },
      target as unknown as Window,
    );
    target.dispatchEvent(
      Object.assign(new Event("error"), { error: new Error("boom"), filename: "main.js", lineno: 3, colno: 7 }),
    );
    target.dispatchEvent(Object.assign(new Event("unhandledrejection"), { reason: new Error("nope") }));
    expect(sent[0]).toMatch(/^uncaught error at main\.js:3:7: Error: boom/);
    expect(sent[1]).toMatch(/^unhandled rejection: Error: nope/);
    for (let i = 0; i < MAX_REPORTS + 10; i++)
      target.dispatchEvent(Object.assign(new Event("unhandledrejection"), { reason: "again" }));
    expect(sent, "a loop of errors does not fill the log").toHaveLength(MAX_REPORTS);
    expect(sent[MAX_REPORTS - 1]).toContain("the last reported");
  });

  it("a report that cannot be sent is dropped without another error", async () => {
    const target = new EventTarget();
    reportWebviewErrors(() => Promise.reject(new Error("no app")), target as unknown as Window);
    target.dispatchEvent(Object.assign(new Event("unhandledrejection"), { reason: "x" }));
    await new Promise((r) => setTimeout(r, 0));
  });
});
