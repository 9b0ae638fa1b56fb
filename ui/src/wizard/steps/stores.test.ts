// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { Settings } from "../../api/types";
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
  const ctx: WizardContext = { draft, saved, accounts: null, refresh: () => {} };
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
