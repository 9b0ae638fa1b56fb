// A held order as the dashboard lists it, for the dashboard's tests (no test of its own).
import type { OrderRow, ReasonCode } from "../api/types";

/** Order 1001 of channel Shopify, held for `reason_code`. */
export const held = (reason_code: ReasonCode): OrderRow => ({
  quipt_id: "q1",
  order_number: "1001",
  channel: "Shopify",
  warehouse_code: "98766",
  state: "held",
  reason_code,
  reason: "why",
  ss_order_id: null,
  ss_status: null,
  content_hash: null,
  split: false,
  acknowledged: false,
  retry: false,
  updated_at: "2025-01-01T00:00:00Z",
});
