// The shapes the Rust commands send and receive (connector's Serialize types).
export type CarrierFamily = "ups" | "fedex" | "usps" | "dhl";
export type Health = "ok" | "warning" | "failing";
export type OrderState = "pending" | "pushed" | "held" | "failed" | "shipped" | "cancelled" | "conflict";

export interface Settings {
  quipt: { api_user_email: string; api_url?: string | null; app_url?: string | null };
  shipstation: { api_url?: string | null };
  stores: {
    single_store: boolean;
    default_store_id?: number | null;
    channel_names: Record<string, string>;
    channel_store_ids: Record<string, number>;
  };
  orders: { push_validating: boolean };
  carrier: { preferred: CarrierFamily; default_service: string; assign_default: boolean; usps_supported: boolean };
  cancel: { mode: "soft" | "hard" };
  warehouses: { codes: string[] };
  schedule: { interval_minutes: number; paused: boolean };
}

export interface Setup { settings: Settings | null; problem: string | null; draft: Settings }
export interface CheckResult { step: string; ok: boolean; message: string; details: string[] }
export interface StoreRef { id: number; name: string; active: boolean }
export interface ServiceRef { code: string; name: string }
export interface CarrierRef { code: string; name: string; primary: boolean; services: ServiceRef[] }
export interface Reference { stores: StoreRef[]; warehouses: { id: number; name: string }[]; carriers: CarrierRef[] }
export interface WarehouseMatch { code: string; name: string; shipstation_name: string | null }
export interface Accounts { reference: Reference; channels: { code: string; name: string }[]; warehouses: WarehouseMatch[] }
export interface PreviewItem { order_number: string; action: string; detail: string }
export interface RunSummary {
  run_id: number; dry_run: boolean; outcome: string; error: string | null;
  created: number; updated: number; unchanged: number; held: number; failed: number;
  acknowledged: number; tracking_reported: number; cancelled_in_quipt: number; cancelled_in_shipstation: number;
  conflicts: number; attention_total: number; alerts: string[];
  shipstation_calls: number; quipt_calls: number; rate_limit: number | null; rate_remaining: number | null;
  duration_ms: number; preview: PreviewItem[];
}
export interface RunRow {
  id: number; started_at: string; finished_at: string | null; trigger: string; dry_run: boolean;
  outcome: string; error: string | null; summary: Partial<RunSummary> | null;
}
export interface OrderRow {
  quipt_id: string; order_number: string; channel: string | null; warehouse_code: string | null;
  state: OrderState; reason_code: string | null; reason: string | null; ss_order_id: number | null;
  ss_status: string | null; retry: boolean; updated_at: string;
}
export interface TimelineEvent { at: string; run_id: number | null; kind: string; message: string }
export interface OrderDetail { order: OrderRow; timeline: TimelineEvent[]; tracking: Record<string, unknown>[] }
export interface Status {
  health: Health; last_run: RunRow | null; last_success: RunRow | null;
  counts: [OrderState, number][]; pushed_today: number; shipped_today: number;
  attention: OrderRow[]; per_day: [string, number][];
}
export interface ScheduleState { paused: boolean; next_run_at: string | null; interval_minutes: number }
export interface Dashboard { status: Status; schedule: ScheduleState }
export interface OrderFilter { state?: OrderState | null; attention?: boolean; search?: string | null; since?: string | null; limit?: number | null }
export type Pass = "reference" | "orders_out" | "tracking_back" | "cancellations";
export type SyncEvent =
  | { type: "run_started"; run_id: number; dry_run: boolean }
  | { type: "progress"; pass: Pass; done: number; total: number }
  | { type: "order_held"; order_number: string; reason: string }
  | { type: "run_finished"; summary: RunSummary }
  | { type: "health_changed"; from: Health; to: Health };
export interface CommandError { code: string; message: string }
