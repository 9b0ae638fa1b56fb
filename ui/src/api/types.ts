// The shapes the Rust commands send and receive, re-exported from ./bindings: ts-rs generates one
// file per Rust type there (connector's and src-tauri's `ts` feature), so nothing here is written
// twice. Regenerate with scripts/bindings.sh; CI fails when ./bindings differs from what the Rust
// types generate. A new type that crosses to the UI gets a line here.
export type { Accounts } from "./bindings/Accounts";
export type { CancelMode } from "./bindings/CancelMode";
export type { CancelSettings } from "./bindings/CancelSettings";
export type { CarrierFamily } from "./bindings/CarrierFamily";
export type { CarrierRef } from "./bindings/CarrierRef";
export type { CarrierSettings } from "./bindings/CarrierSettings";
export type { Channel } from "./bindings/Channel";
export type { CheckResult } from "./bindings/CheckResult";
export type { CommandError } from "./bindings/CommandError";
export type { ArchivedFile } from "./bindings/ArchivedFile";
export type { Dashboard } from "./bindings/Dashboard";
export type { DiagnosticsReport } from "./bindings/DiagnosticsReport";
export type { Health } from "./bindings/Health";
export type { LogLevel } from "./bindings/LogLevel";
export type { LogLine } from "./bindings/LogLine";
export type { LogTail } from "./bindings/LogTail";
export type { OrderDetail } from "./bindings/OrderDetail";
export type { OrderFilter } from "./bindings/OrderFilter";
export type { OrderRow } from "./bindings/OrderRow";
export type { OrderSettings } from "./bindings/OrderSettings";
export type { OrderState } from "./bindings/OrderState";
export type { Pass } from "./bindings/Pass";
export type { PreviewItem } from "./bindings/PreviewItem";
export type { QuiptSettings } from "./bindings/QuiptSettings";
export type { ReconciliationRow } from "./bindings/ReconciliationRow";
export type { Reference } from "./bindings/Reference";
export type { RunRow } from "./bindings/RunRow";
export type { RunSummary } from "./bindings/RunSummary";
export type { ScheduleSettings } from "./bindings/ScheduleSettings";
export type { ScheduleState } from "./bindings/ScheduleState";
export type { ServiceRef } from "./bindings/ServiceRef";
export type { Settings } from "./bindings/Settings";
export type { Setup } from "./bindings/Setup";
export type { ShipStationSettings } from "./bindings/ShipStationSettings";
export type { Status } from "./bindings/Status";
export type { StoreRef } from "./bindings/StoreRef";
export type { StoreSettings } from "./bindings/StoreSettings";
export type { SyncEvent } from "./bindings/SyncEvent";
export type { TimelineEvent } from "./bindings/TimelineEvent";
export type { TrackingRow } from "./bindings/TrackingRow";
export type { TrackingState } from "./bindings/TrackingState";
export type { WarehouseMatch } from "./bindings/WarehouseMatch";
export type { WarehouseRef } from "./bindings/WarehouseRef";
export type { WarehouseSettings } from "./bindings/WarehouseSettings";
