// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Dashboard, OrderFilter } from "../api/types";
import { renderHistory } from "./history";

const board = {
  status: { per_day: [] },
  schedule: { paused: false, next_run_at: null, interval_minutes: 15 },
} as unknown as Dashboard;

describe("the History filter", () => {
  afterEach(() => clearMocks());

  it("asks for the chosen state and the orders changed since that day's local midnight, and exports the same", async () => {
    const asked: { cmd: string; filter: OrderFilter }[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "orders" || cmd === "export_csv") {
        asked.push({ cmd, filter: (args as { filter: OrderFilter }).filter });
        return cmd === "orders" ? [] : null;
      }
      if (cmd === "dashboard") return board;
      if (cmd === "runs") return [];
      throw new Error(`no answer for ${cmd} in this test`);
    });
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    renderHistory(root);

    root.querySelector<HTMLSelectElement>("#filter-state")!.value = "held";
    root.querySelector<HTMLInputElement>("#filter-since")!.value = "2026-11-01";
    root.querySelector<HTMLButtonElement>("#filter-go")!.click();
    root.querySelector<HTMLButtonElement>("#export-csv")!.click();

    // Midnight in New York (the test's zone) on the day daylight saving ends there is 04:00 UTC,
    // not the UTC midnight a plain date would give.
    const expected = { state: "held", since: "2026-11-01T04:00:00.000Z", limit: 500 };
    await vi.waitFor(() => expect(asked.map((a) => a.cmd)).toEqual(expect.arrayContaining(["orders", "export_csv"])));
    const listed = asked.filter((a) => a.cmd === "orders").at(-1)!;
    expect(listed.filter, "the list asks for what the filter shows").toEqual(expected);
    expect(asked.find((a) => a.cmd === "export_csv")!.filter, "the export takes the same orders").toEqual(expected);
  });
});
