// One typed wrapper per Tauri command (src-tauri/src/commands); events.ts does the same for events.
import { invoke } from "@tauri-apps/api/core";
import type {
  Accounts, CheckResult, Dashboard, DiagnosticsReport, LogLevel, LogTail, OrderDetail, OrderFilter,
  OrderRow, RunRow, RunSummary, ScheduleSettings, ScheduleState, Settings, Setup,
} from "./types";

export const setupState = () => invoke<Setup>("setup_state");
export const startDemo = () => invoke<Settings>("start_demo");
export const quiptAuthorize = (draft: Settings) => invoke<CheckResult>("quipt_authorize", { draft });
export const quiptPasteVerifier = (verifier: string) => invoke<void>("quipt_paste_verifier", { verifier });
export const checkQuipt = (draft: Settings) => invoke<CheckResult>("check_quipt", { draft });
export const checkShipstationKeys = (draft: Settings, apiKey: string, apiSecret: string) =>
  invoke<CheckResult>("check_shipstation_keys", { draft, apiKey, apiSecret });
export const loadAccounts = (draft: Settings) => invoke<Accounts>("load_accounts", { draft });
export const checkAnswers = (draft: Settings) => invoke<CheckResult[]>("check_answers", { draft });
export const dryRun = (draft: Settings) => invoke<RunSummary>("dry_run", { draft });
export const finishWizard = (settings: Settings) => invoke<void>("finish_wizard", { settings });
export const dashboard = () => invoke<Dashboard>("dashboard");
export const syncNow = () => invoke<RunSummary>("sync_now");
export const setSchedule = (schedule: ScheduleSettings) => invoke<ScheduleState>("set_schedule", { schedule });
export const retry = (order: string | null) => invoke<number>("retry", { order });
export const runs = (limit: number) => invoke<RunRow[]>("runs", { limit });
export const orders = (filter: OrderFilter) => invoke<OrderRow[]>("orders", { filter });
export const orderDetail = (search: string) => invoke<OrderDetail | null>("order_detail", { search });
export const exportCsv = (filter: OrderFilter) => invoke<[string, number] | null>("export_csv", { filter });
export const autostart = () => invoke<boolean>("autostart");
export const setAutostart = (enabled: boolean) => invoke<boolean>("set_autostart", { enabled });
export const logs = (minLevel: LogLevel, limit: number) => invoke<LogTail>("logs", { minLevel, limit });
export const exportDiagnostics = () => invoke<DiagnosticsReport | null>("export_diagnostics");
