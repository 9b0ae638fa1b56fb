// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { Settings } from "../api/types";
import { GUIDE } from "./guide";
import { STEPS } from "./steps";
import type { WizardContext } from "./step";

const draft = (): Settings =>
  ({
    quipt: { api_user_email: "acme-api@example.com", api_url: null, app_url: null },
    shipstation: { api_url: null },
    stores: { single_store: true, default_store_id: 10000, channel_names: {}, channel_store_ids: {} },
    orders: { push_validating: false },
    carrier: { preferred: "ups", default_service: "ups_ground", assign_default: true, usps_supported: true },
    cancel: { mode: "hard" },
    warehouses: { codes: [] },
    schedule: { interval_minutes: 15, paused: false },
    history: { retention_days: 400 },
  }) as Settings;

function rendered(id: string, change: (s: Settings) => void = () => undefined): HTMLElement {
  const step = STEPS.find((s) => s.id === id)!;
  const ctx: WizardContext = {
    draft: draft(),
    saved: null,
    accounts: null,
    accountsError: null,
    refresh: () => undefined,
  };
  change(ctx.draft);
  const page = document.createElement("div");
  page.append(step.title, step.render(ctx));
  return page;
}

describe("the wizard speaks the guide's words", () => {
  // [step, the exact string the operator must read there]
  const table: [string, string][] = [
    ["quipt_api_user", '"Company name API"'],
    ["quipt_api_user", '"company API user" role'],
    ["quipt_api_user", "unique, and not the login e-mail of any person"],
    ["quipt_api_user", "log in to Quipt as the API user"],
    ["quipt_api_user", 'Applications → "ShipStation Connector" → Authorize → Start'],
    ["shipstation_keys", "API Settings"],
    ["stores", "All orders to a single store?"],
    ["stores", "default Store ID"],
    ["stores", "store NAME"],
    ["pending_orders", "Pending Orders?"],
    ["pending_orders", "validating status"],
    ["pending_orders", "not cleared to a shipment ready status"],
    ["carrier", "What is your preferred carrier?"],
    ["carrier", "UPS – United Parcel Service"],
    ["carrier", "FedEx – Federal Express"],
    ["carrier", "USPS – United States Postal Service"],
    ["carrier", "DHL"],
    ["carrier", "highly recommended"],
    ["carrier", "or some orders may not automatically get sent to ShipStation for fulfillment"],
    ["carrier", "Do you support USPS? (Yes/No)"],
    ["cancel_mode", "Soft Cancel, Cancel Shipment"],
    ["cancel_mode", '"Cancelled By Warehouse"'],
    ["cancel_mode", "Hard Cancel, Cancel Quantity"],
    ["cancel_mode", "refund"],
    ["warehouses", "Warehouse code needs to match the warehouse ID from ShipStation."],
  ];

  it.each(table)("%s says %s", (id, words) => {
    expect(rendered(id).textContent, `step ${id}`).toContain(words);
  });

  it.each([
    ["stores", "single"],
    ["pending_orders", "push-validating"],
    ["carrier", "assign-default"],
    ["carrier", "usps-supported"],
  ])("%s asks %s as a question answered Yes or No", (id, question) => {
    const page = rendered(id);
    expect(page.querySelector(`#${question} legend`)?.textContent, "the question").toBeTruthy();
    expect(page.querySelector(`#${question}-yes`), "a Yes answer").not.toBeNull();
    expect(page.querySelector(`#${question}-no`), "a No answer").not.toBeNull();
  });

  it("the single store's alternative is a store per channel from a dropdown", () => {
    expect(
      rendered("stores", (s) => {
        s.stores.single_store = false;
      }).textContent,
    ).toContain(GUIDE.stores.no);
  });

  it("choosing hard cancel asks for the confirmation", () => {
    expect(rendered("cancel_mode").querySelector("#hard-confirm"), "the hard-cancel confirmation").not.toBeNull();
  });
});
