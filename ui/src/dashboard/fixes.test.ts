import { describe, expect, it } from "vitest";
import { FIXES, fixFor, type Fix } from "./fixes";
import type { ReasonCode } from "../api/types";
import { held } from "./held.fixture";

describe("a held order links to its fix", () => {
  // Every hold reason of the engine, with its fix.
  const table: [ReasonCode, Fix][] = [
    ["no_store_for_channel", { where: "settings", step: "stores", text: "Choose a store for channel Shopify" }],
    ["store_inactive", { where: "settings", step: "stores", text: "Choose an active store" }],
    ["no_carrier_assignment_off", { where: "settings", step: "carrier", text: "Turn on default carrier assignment" }],
    ["carrier_not_connected", { where: "settings", step: "carrier", text: "Choose a connected carrier" }],
    ["warehouse_not_synced", { where: "settings", step: "warehouses", text: "Sync warehouse 98766" }],
    ["unmatched_warehouse", { where: "quipt", text: "Fix the warehouse code in Quipt (order 1001)" }],
    ["missing_warehouse", { where: "quipt", text: "Fix the warehouse in Quipt (order 1001)" }],
    ["missing_channel", { where: "quipt", text: "Fix the sales channel in Quipt (order 1001)" }],
    ["missing_address", { where: "quipt", text: "Fix the address in Quipt (order 1001)" }],
    ["unknown_country", { where: "quipt", text: "Fix the address in Quipt (order 1001)" }],
    ["no_items", { where: "quipt", text: "Fix the order's lines in Quipt (order 1001)" }],
    ["invalid_quantity", { where: "quipt", text: "Fix the order's lines in Quipt (order 1001)" }],
    ["item_without_name", { where: "quipt", text: "Fix the order's lines in Quipt (order 1001)" }],
    ["order_number_too_long", { where: "quipt", text: "Fix the order number in Quipt (order 1001)" }],
    ["order_date_out_of_range", { where: "quipt", text: "Fix the order date in Quipt (order 1001)" }],
    [
      "unreadable",
      {
        where: "quipt",
        text: "Ask Quipt's support to correct order 1001: Quipt sends it in a form that cannot be read",
      },
    ],
    ["line_on_hold", { where: "quipt", text: "Release the line on hold in Quipt (order 1001)" }],
    [
      "cancellation_requested",
      { where: "quipt", text: "Accept or refuse the buyer's cancellation request in Quipt (order 1001)" },
    ],
  ];

  it.each(table)("%s", (code, fix) => {
    expect(fixFor(held(code)), `the dashboard's link for ${code}`).toEqual(fix);
  });

  it("every other reason is a failure or conflict: retried, with no fix link", () => {
    const fixed = new Set<string>(table.map(([code]) => code));
    const others = (Object.keys(FIXES) as ReasonCode[]).filter((code) => !fixed.has(code));
    expect(others.sort()).toEqual([
      "cancel_after_ship",
      "cancel_refused",
      "fails_on_order",
      "gone_in_quipt",
      "label_unreadable",
      "rejected",
      "shipped_elsewhere",
      "tracking_refused",
      "unreachable",
      "void_not_withdrawn",
    ]);
    for (const code of others) expect(fixFor(held(code)), code).toBeNull();
  });

  it("a failed order gets no fix link, only Retry", () => {
    expect(fixFor({ ...held("no_store_for_channel"), state: "failed" })).toBeNull();
  });
});
