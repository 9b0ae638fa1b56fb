// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { CommandError, Dashboard } from "../api/types";
import { renderDashboard } from "./dashboard";
import { held } from "./held.fixture";

const board: Dashboard = {
  status: {
    health: "warning",
    health_reason: "1 order needs attention",
    last_run: null,
    last_success: null,
    counts: [["held", 1]],
    pushed_today: 0,
    shipped_today: 0,
    acknowledging: 0,
    attention: [held("no_store_for_channel")],
    per_day: [],
    last_reconciliation: null,
  },
  schedule: { paused: false, next_run_at: null, interval_minutes: 15 },
};

/** What the shell answers while the engine has not started yet. */
const starting: CommandError = {
  code: "starting",
  message: "the connector is starting: opening the keyring and the history",
};

describe("a refused retry is shown, and its button can be used again", () => {
  afterEach(() => clearMocks());

  it.each([
    ["Retry", "button.retry", "Could not retry order 1001"],
    ["Retry all", "#retry-all", "Could not retry the orders"],
  ])("%s", async (_, button, what) => {
    mockIPC((cmd) => {
      if (cmd === "dashboard") return board;
      if (cmd === "retry") throw starting;
      throw new Error(`no answer for ${cmd} in this test`);
    });
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    renderDashboard(root, () => undefined);
    const clicked = await vi.waitFor(() => {
      const found = root.querySelector<HTMLButtonElement>(button);
      expect(found, "the order needing attention is listed with its Retry").not.toBeNull();
      return found!;
    });

    clicked.click();

    await vi.waitFor(() =>
      expect(
        root.querySelector('[role="alert"]#retry-error')?.textContent,
        "the operator sees why nothing was queued",
      ).toBe(`${what}: ${starting.message}`),
    );
    expect(clicked.disabled, "the button can be pressed again").toBe(false);
  });
});

describe("Mark settled closes a conflict the operator dealt with outside the connector", () => {
  afterEach(() => clearMocks());

  /** A conflict, order 1002, beside held order 1001. */
  const conflict = { ...held("cancel_after_ship"), quipt_id: "q2", order_number: "1002", state: "conflict" } as const;
  const withConflict: Dashboard = {
    ...board,
    status: { ...board.status, attention: [held("no_store_for_channel"), conflict] },
  };

  /** The dashboard over `settle`'s answer; the commands it was sent, in order. */
  function render(settle: (args: unknown) => unknown): { root: HTMLElement; calls: [string, unknown][] } {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "dashboard") return withConflict;
      if (cmd === "settle") return settle(args);
      throw new Error(`no answer for ${cmd} in this test`);
    });
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    renderDashboard(root, () => undefined);
    return { root, calls };
  }

  const settleButton = (root: HTMLElement, order: string) =>
    root.querySelector<HTMLButtonElement>(`tr[data-order="${order}"] button.settle`);

  it("is offered on the conflict's row only, and settles it, then the dashboard is read again", async () => {
    const { root, calls } = render(() => ({ outcome: "settled", order_numbers: ["1002"] }));
    const button = await vi.waitFor(() => {
      const found = settleButton(root, "1002");
      expect(found, "the conflict's row offers Mark settled").not.toBeNull();
      return found!;
    });
    expect(button.hidden, "shown on the conflict").toBe(false);
    expect(button.getAttribute("aria-label")).toBe("Mark order 1002 settled");
    expect(settleButton(root, "1001")?.hidden, "a held order is fixed or retried, not settled").toBe(true);

    button.click();

    await vi.waitFor(() =>
      expect(calls.filter(([cmd]) => cmd === "dashboard").length, "the dashboard is read again after settling").toBe(2),
    );
    expect(calls.find(([cmd]) => cmd === "settle")?.[1], "the conflict is settled by its Quipt id").toEqual({
      order: "q2",
      note: null,
    });
    expect(root.querySelector("#retry-error")?.textContent, "nothing was refused").toBe("");
  });

  it.each([
    [
      "an order no longer in conflict",
      () => ({ outcome: "not_a_conflict", order_number: "1002", state: "settled" }),
      "it is settled, not in conflict: only a conflict can be marked settled",
    ],
    ["an order the history lost", () => ({ outcome: "unknown" }), "the history has no such order"],
    [
      "the engine not started",
      () => {
        throw starting;
      },
      starting.message,
    ],
  ])("a refusal (%s) is said in the alert line", async (_, answer, why) => {
    const { root } = render(answer);
    const button = await vi.waitFor(() => {
      const found = settleButton(root, "1002");
      expect(found, "the conflict's row offers Mark settled").not.toBeNull();
      return found!;
    });

    button.click();

    await vi.waitFor(() =>
      expect(
        root.querySelector('[role="alert"]#retry-error')?.textContent,
        "the operator sees why the order was not settled",
      ).toBe(`Could not mark order 1002 settled: ${why}`),
    );
    expect(button.disabled, "the button can be pressed again").toBe(false);
  });
});
