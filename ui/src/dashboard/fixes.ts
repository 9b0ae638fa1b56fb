// Where each hold reason is fixed: a setting opens Settings at its step, an order's own data is
// fixed in Quipt. One table over the engine's every ReasonCode (the compiler refuses a code without
// a row); a failure or conflict has none: it is retried, not fixed here. fixes.test.ts covers
// every row.
import type { OrderRow, ReasonCode } from "../api/types";

/** What fixes a held order, in words, and where the link goes. */
export type Fix =
  { where: "settings"; step: "stores" | "carrier" | "warehouses"; text: string } | { where: "quipt"; text: string };

type FixOf = (order: OrderRow) => Fix;

const inQuipt =
  (what: string): FixOf =>
  (o) => ({ where: "quipt", text: `Fix ${what} in Quipt (order ${o.order_number})` });

export const FIXES: Record<ReasonCode, FixOf | null> = {
  no_store_for_channel: (o) => ({
    where: "settings",
    step: "stores",
    text: `Choose a store for channel ${o.channel ?? "(none)"}`,
  }),
  store_inactive: () => ({ where: "settings", step: "stores", text: "Choose an active store" }),
  no_carrier_assignment_off: () => ({ where: "settings", step: "carrier", text: "Turn on default carrier assignment" }),
  carrier_not_connected: () => ({ where: "settings", step: "carrier", text: "Choose a connected carrier" }),
  warehouse_not_synced: (o) => ({
    where: "settings",
    step: "warehouses",
    text: `Sync warehouse ${o.warehouse_code ?? ""}`.trim(),
  }),
  unmatched_warehouse: inQuipt("the warehouse code"),
  missing_warehouse: inQuipt("the warehouse"),
  missing_channel: inQuipt("the sales channel"),
  missing_address: inQuipt("the address"),
  unknown_country: inQuipt("the address"),
  no_items: inQuipt("the order's lines"),
  invalid_quantity: inQuipt("the order's lines"),
  item_without_name: inQuipt("the order's lines"),
  order_number_too_long: inQuipt("the order number"),
  order_date_out_of_range: inQuipt("the order date"),
  unreadable: (o) => ({
    where: "quipt",
    text: `Ask Quipt's support to correct order ${o.order_number}: Quipt sends it in a form that cannot be read`,
  }),
  line_on_hold: (o) => ({ where: "quipt", text: `Release the line on hold in Quipt (order ${o.order_number})` }),
  cancellation_requested: (o) => ({
    where: "quipt",
    text: `Accept or refuse the buyer's cancellation request in Quipt (order ${o.order_number})`,
  }),
  rejected: null,
  fails_on_order: null,
  unreachable: null,
  cancel_after_ship: null,
  cancel_refused: null,
  tracking_refused: null,
  void_not_withdrawn: null,
  label_unreadable: null,
  gone_in_quipt: null,
  shipped_elsewhere: null,
};

/** The fix of a held order, or null (failed and conflicting orders are retried, not fixed here). */
export function fixFor(order: OrderRow): Fix | null {
  if (order.state !== "held" || !order.reason_code) return null;
  return FIXES[order.reason_code]?.(order) ?? null;
}
