// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Accounts, CommandError, Settings } from "../../api/types";
import type { StoreSettings } from "../../api/bindings/StoreSettings";
import { GUIDE } from "../guide";
import type { WizardContext } from "../step";
import { stores } from "./stores";

/** Settings with only the stores step's answers (the step reads nothing else). */
function withStores(answers: Partial<StoreSettings>): Settings {
  const s: StoreSettings = {
    single_store: true,
    default_store_id: 100,
    channel_names: {},
    channel_store_ids: { Amazon: 200, eBay: 300 },
    ...answers,
  };
  return { stores: s } as unknown as Settings;
}

/** The warning Settings shows under step 3 for `draft`, with `saved` saved before. */
function warning(saved: Settings | null, draft: Settings): string | null {
  const ctx: WizardContext = { draft, saved, accounts: null, accountsError: null, refresh: () => {} };
  return stores.render(ctx).querySelector("#store-mode-warning")?.textContent ?? null;
}

describe("Settings' step 3 warns that orders already in ShipStation keep their store", () => {
  const saved = withStores({});
  it.each([
    ["single store → one store per channel", withStores({ single_store: false })],
    ["one store per channel → single store", withStores({ single_store: true }), withStores({ single_store: false })],
    ["another default store", withStores({ default_store_id: 101 })],
  ])("when the answer changes: %s", (_, draft, before = saved) => {
    expect(warning(before, draft)).toBe(GUIDE.stores.modeChanged);
  });

  it("when a channel's store changes in store-per-channel mode", () => {
    const before = withStores({ single_store: false });
    const draft = withStores({ single_store: false, channel_store_ids: { Amazon: 200, eBay: 301 } });
    expect(warning(before, draft)).toBe(GUIDE.stores.modeChanged);
  });

  it.each([
    ["nothing changed", saved, withStores({})],
    [
      "only the unused default store changed (store per channel)",
      withStores({ single_store: false }),
      withStores({ single_store: false, default_store_id: 999 }),
    ],
  ])("not when %s", (_, before, draft) => {
    expect(warning(before, draft)).toBeNull();
  });

  it("not in the wizard, where nothing was saved before", () => {
    expect(warning(null, withStores({ single_store: false }))).toBeNull();
  });
});

describe("Refresh store list", () => {
  afterEach(() => clearMocks());

  it("that cannot read the accounts says why and keeps the stores it listed", async () => {
    const unreachable: CommandError = {
      code: "api_unavailable",
      message: "ShipStation: could not reach ShipStation: connection refused",
    };
    mockIPC((cmd) => {
      if (cmd === "load_accounts") throw unreachable;
      throw new Error(`no answer for ${cmd} in this test`);
    });
    const accounts: Accounts = {
      reference: { stores: [{ id: 100, name: "Main store", active: true }], warehouses: [], carriers: [] },
      channels: [],
      warehouses: [],
    };
    const page = document.createElement("div");
    const ctx: WizardContext = { draft: withStores({}), saved: null, accounts, accountsError: null, refresh: () => {} };
    const refreshed = new Promise<void>((done) => {
      ctx.refresh = () => {
        page.replaceChildren(stores.render(ctx));
        done();
      };
    });
    page.replaceChildren(stores.render(ctx));

    page.querySelector<HTMLButtonElement>("#refresh-stores")!.click();
    await refreshed;

    expect(page.querySelector("#accounts-error")?.textContent, "the operator sees why the list was not refreshed").toBe(
      `Could not read your accounts: ${unreachable.message}`,
    );
    expect(
      [...page.querySelectorAll("#store-select option")].map((o) => o.textContent),
      "the stores read before are still offered",
    ).toContain("Main store (100)");
  });
});

describe("Single store: the store NAME for each channel", () => {
  afterEach(() => clearMocks());

  it("defaults to the channel's name, keeps what is typed, and is what the engine checks", async () => {
    const accounts: Accounts = {
      reference: { stores: [{ id: 100, name: "Main store", active: true }], warehouses: [], carriers: [] },
      channels: [
        { code: "AMZ", name: "Amazon" },
        { code: "EBAY", name: "eBay" },
      ],
      warehouses: [],
    };
    const draft = withStores({ single_store: true, channel_names: {} });
    const ctx: WizardContext = { draft, saved: null, accounts, accountsError: null, refresh: () => {} };
    const page = stores.render(ctx);

    const amazon = page.querySelector<HTMLInputElement>("#channel-name-AMZ")!;
    expect(amazon.value, "a channel's store name starts as the channel's own").toBe("Amazon");
    expect(page.querySelector<HTMLInputElement>("#channel-name-EBAY")!.value).toBe("eBay");
    amazon.value = "Amazon US";
    amazon.dispatchEvent(new Event("input"));

    let checked: Settings | null = null;
    mockIPC((cmd, args) => {
      if (cmd !== "check_answers") throw new Error(`no answer for ${cmd} in this test`);
      checked = (args as { draft: Settings }).draft;
      return [{ step: "stores", ok: true, message: "ok" }];
    });
    expect(await stores.check!(ctx)).toBeNull();
    expect(checked!.stores.channel_names, "the typed name, and the default for the channel left as it was").toEqual({
      Amazon: "Amazon US",
      eBay: "eBay",
    });
  });
});
