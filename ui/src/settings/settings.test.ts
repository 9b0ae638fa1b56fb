// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Accounts, CommandError, Settings, Setup } from "../api/types";
import { renderSettings, savedText } from "./settings";

describe("Save in Settings", () => {
  it.each([
    [0, "Saved: All orders to a single store?"],
    [1, "Saved: All orders to a single store? — 1 order held for a setting goes to ShipStation on the next run."],
    [7, "Saved: All orders to a single store? — 7 orders held for a setting go to ShipStation on the next run."],
    [
      null,
      "Saved: All orders to a single store? — orders held for a setting are planned again on the next run (they could not be counted now).",
    ],
  ])("with %s released orders says %s", (released, text) => {
    expect(savedText("3. All orders to a single store?", released)).toBe(text);
  });
});

/** Saved answers with what steps 3, 5 and 7 read (the other steps are not opened here). */
const saved = {
  stores: { single_store: true, default_store_id: 100, channel_names: {}, channel_store_ids: {} },
  carrier: { preferred: "ups", default_service: "ups_ground", assign_default: true, usps_supported: true },
  warehouses: { codes: ["98766"] },
  schedule: { interval_minutes: 15, paused: false },
} as unknown as Settings;

const setup: Setup = { settings: saved, problem: null, draft: saved, demo: false, demo_offered: false };

/** What the engine answers when ShipStation refuses the stored key pair. */
const refused: CommandError = {
  code: "invalid_credentials",
  message: "ShipStation: ShipStation refused the API key and secret (401): Unauthorized",
};

/** Opens Settings at `step` while `load_accounts` answers with `accounts` or fails with `error`. */
async function openStep(step: string, accounts: Accounts | CommandError): Promise<HTMLElement> {
  mockIPC((cmd) => {
    if (cmd === "setup_state") return setup;
    if (cmd === "autostart") return false;
    if (cmd === "load_accounts") {
      if ("code" in accounts) throw accounts;
      return accounts;
    }
    throw new Error(`no answer for ${cmd} in this test`);
  });
  const root = document.createElement("div");
  await renderSettings(root, step);
  return root;
}

describe("Settings' steps that list the accounts say why they could not be read", () => {
  afterEach(() => clearMocks());

  it.each(["stores", "carrier", "warehouses"])("step %s shows the engine's reason", async (step) => {
    const root = await openStep(step, refused);
    expect(
      root.querySelector("#accounts-error")?.textContent,
      "the operator sees why the lists are empty, as the wizard would tell them",
    ).toBe(`Could not read your accounts: ${refused.message}`);
  });

  it("the carrier step does not claim the carrier is not connected when the account could not be read", async () => {
    const root = await openStep("carrier", refused);
    expect(root.textContent, "an unread account says nothing about which carriers it has").not.toContain(
      "not connected",
    );
  });

  it("the carrier step says a carrier is not connected when the account was read and lacks it", async () => {
    const accounts: Accounts = {
      reference: { stores: [], warehouses: [], carriers: [] },
      channels: [],
      warehouses: [],
    };
    const root = await openStep("carrier", accounts);
    expect(root.textContent, "a read account without UPS says so").toContain(
      "This carrier is not connected in your ShipStation account.",
    );
    expect(root.querySelector("#accounts-error"), "no read error to show").toBeNull();
  });
});
