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
