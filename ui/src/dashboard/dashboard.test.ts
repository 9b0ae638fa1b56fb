// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { CommandError, Dashboard, RunRow, RunSummary } from "../api/types";
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

  /** Opens the row's Mark settled form, types `note` and confirms; the form. */
  function settleWith(root: HTMLElement, order: string, note: string): HTMLFormElement {
    settleButton(root, order)!.click();
    const form = root.querySelector<HTMLFormElement>(`tr[data-order="${order}"] form.settle-form`)!;
    expect(form.hidden, "Mark settled asks how it was settled").toBe(false);
    const input = form.querySelector<HTMLInputElement>("input.settle-note")!;
    expect(document.activeElement, "the focus is in the note").toBe(input);
    input.value = note;
    form.querySelector<HTMLButtonElement>("button.settle-confirm")!.click();
    return form;
  }

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

    const form = settleWith(root, "1002", "  refunded the buyer, they keep it  ");

    await vi.waitFor(() =>
      expect(calls.filter(([cmd]) => cmd === "dashboard").length, "the dashboard is read again after settling").toBe(2),
    );
    expect(
      calls.find(([cmd]) => cmd === "settle")?.[1],
      "the conflict is settled by its Quipt id, with the note",
    ).toEqual({
      order: "q2",
      note: "refunded the buyer, they keep it",
    });
    expect(form.hidden, "the form closes").toBe(true);
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
    await vi.waitFor(() => expect(settleButton(root, "1002"), "the conflict's row offers Mark settled").not.toBeNull());

    const form = settleWith(root, "1002", "");
    const button = form.querySelector<HTMLButtonElement>("button.settle-confirm")!;

    await vi.waitFor(() =>
      expect(
        root.querySelector('[role="alert"]#retry-error')?.textContent,
        "the operator sees why the order was not settled",
      ).toBe(`Could not mark order 1002 settled: ${why}`),
    );
    expect(button.disabled, "the button can be pressed again").toBe(false);
  });

  it("is sent without a note when none is typed, and Cancel or Escape sends nothing", async () => {
    const { root, calls } = render(() => ({ outcome: "settled", order_numbers: ["1002"] }));
    await vi.waitFor(() => expect(settleButton(root, "1002")).not.toBeNull());
    const form = root.querySelector<HTMLFormElement>('tr[data-order="1002"] form.settle-form')!;

    settleButton(root, "1002")!.click();
    form.querySelector<HTMLInputElement>("input.settle-note")!.value = "typed, then thought better of it";
    form.querySelector<HTMLButtonElement>("button.settle-cancel")!.click();
    expect(form.hidden, "Cancel closes the form").toBe(true);
    settleButton(root, "1002")!.click();
    expect(form.querySelector<HTMLInputElement>("input.settle-note")!.value, "the note was cleared").toBe("");
    form.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(form.hidden, "Escape closes the form").toBe(true);
    expect(
      calls.some(([cmd]) => cmd === "settle"),
      "nothing was settled",
    ).toBe(false);

    settleWith(root, "1002", "   ");
    await vi.waitFor(() =>
      expect(calls.find(([cmd]) => cmd === "settle")?.[1], "a blank note is no note").toEqual({
        order: "q2",
        note: null,
      }),
    );
  });
});

describe("what the last run said beyond its counts", () => {
  afterEach(() => clearMocks());

  const warning =
    "ShipStation's stores, warehouses and carriers could not be read again (503); this run used those read at 2026-11-30 09:00 UTC";
  const summary: RunSummary = {
    run_id: 7,
    dry_run: false,
    outcome: "ok",
    error: null,
    created: 3,
    updated: 0,
    unchanged: 0,
    held: 0,
    failed: 0,
    acknowledged: 3,
    acknowledgements_left: 0,
    tracking_reported: 0,
    tracking_withdrawn: 0,
    cancelled_in_quipt: 0,
    cancelled_in_shipstation: 0,
    held_in_shipstation: 0,
    conflicts: 0,
    attention_total: 0,
    alerts: [],
    warnings: [warning],
    shipstation_calls: 4,
    quipt_calls: 3,
    rate_limited: 0,
    quipt_rate_limited: 2,
    rate_limit: 40,
    rate_remaining: 36,
    paced_wait_ms: 0,
    duration_ms: 900,
    mapping_fingerprint: null,
    preview_more: 0,
  };
  const lastRun: RunRow = {
    id: 7,
    started_at: "2026-11-30T10:00:00Z",
    finished_at: "2026-11-30T10:00:01Z",
    trigger: "schedule",
    dry_run: false,
    outcome: "ok",
    error: null,
    summary,
  };

  async function shown(d: Dashboard): Promise<HTMLElement> {
    mockIPC((cmd) => {
      if (cmd === "dashboard") return d;
      throw new Error(`no answer for ${cmd} in this test`);
    });
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    renderDashboard(root, () => undefined);
    await vi.waitFor(() => expect(root.querySelector("#health")?.getAttribute("data-health")).toBe("warning"));
    return root;
  }

  it("lists whose rate limit it met and its warnings", async () => {
    const root = await shown({ ...board, status: { ...board.status, last_run: lastRun } });
    const notes = root.querySelector<HTMLElement>("#last-run-notes")!;
    expect(notes.hidden).toBe(false);
    expect(Array.from(notes.querySelectorAll("li"), (li) => li.textContent)).toEqual([
      "Met the rate limit: Quipt 2 times (another application on the account may share it)",
      warning,
    ]);
  });

  it("shows nothing when the last run said nothing more", async () => {
    const quiet = { ...lastRun, summary: { ...summary, warnings: [], quipt_rate_limited: 0 } };
    const root = await shown({ ...board, status: { ...board.status, last_run: quiet } });
    expect(root.querySelector<HTMLElement>("#last-run-notes")!.hidden).toBe(true);
    expect(root.querySelector<HTMLElement>("#last-run-notes-title")!.hidden).toBe(true);
  });
});

describe("what a screen reader hears, and the backlog line", () => {
  afterEach(() => clearMocks());

  it("announces a change of health once it happens, not the health it opened with", async () => {
    let answer: Dashboard = board;
    mockIPC((cmd) => {
      if (cmd === "dashboard") return answer;
      throw new Error(`no answer for ${cmd} in this test`);
    });
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    const view = renderDashboard(root, () => undefined);
    await vi.waitFor(() => expect(root.querySelector("#health")?.getAttribute("data-health")).toBe("warning"));
    const announced = () => root.querySelector('[role="status"]#health-announcement')?.textContent ?? "";
    expect(announced(), "nothing is spoken when the dashboard opens").toBe("");

    answer = { ...board, status: { ...board.status, health: "failing", health_reason: "the last sync failed" } };
    view.onEvent({ type: "health_changed", from: "warning", to: "failing" });
    await vi.waitFor(() => expect(announced()).toContain("the last sync failed"));
  });

  it("says how many orders Quipt still has to accept, and only while there are some", async () => {
    mockIPC((cmd) => {
      if (cmd === "dashboard") return { ...board, status: { ...board.status, acknowledging: 3200 } };
      throw new Error(`no answer for ${cmd} in this test`);
    });
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    renderDashboard(root, () => undefined);
    const line = await vi.waitFor(() => {
      const p = root.querySelector<HTMLElement>("#acknowledging")!;
      expect(p.hidden).toBe(false);
      return p;
    });
    expect(line.textContent).toContain("acknowledging 3,200 orders in Quipt");
  });
});
