// One typed wrapper per Tauri command (src-tauri/src/commands); events.ts does the same for events.
import { invoke } from "@tauri-apps/api/core";
import type {
  Accounts,
  AuthorizationStarted,
  CheckResult,
  Dashboard,
  DiagnosticsReport,
  LogLevel,
  LogTail,
  OrderDetail,
  OrderFilter,
  OrderRow,
  RunRow,
  RunSummary,
  Saved,
  ScheduleSettings,
  ScheduleState,
  Settings,
  Settle,
  Setup,
  UpdateNotice,
} from "./types";

export const setupState = () => invoke<Setup>("setup_state");
export const startDemo = () => invoke<Setup>("start_demo");
export const leaveDemo = () => invoke<Setup>("leave_demo");
export const quiptAuthorizeStart = (draft: Settings, pasteVerifier: boolean) =>
  invoke<AuthorizationStarted>("quipt_authorize_start", { draft, pasteVerifier });
export const quiptAuthorizeFinish = (draft: Settings, verifier: string | null) =>
  invoke<CheckResult>("quipt_authorize_finish", { draft, verifier });
export const checkQuipt = (draft: Settings) => invoke<CheckResult>("check_quipt", { draft });
export const storedShipstationKey = () => invoke<string | null>("stored_shipstation_key");
export const checkShipstationKeys = (draft: Settings, apiKey: string, apiSecret: string) =>
  invoke<CheckResult>("check_shipstation_keys", { draft, apiKey, apiSecret });
export const loadAccounts = (draft: Settings) => invoke<Accounts>("load_accounts", { draft });
export const checkAnswers = (draft: Settings) => invoke<CheckResult[]>("check_answers", { draft });
export const dryRun = (draft: Settings) => invoke<RunSummary>("dry_run", { draft });
export const finishWizard = (settings: Settings) => invoke<Saved>("finish_wizard", { settings });
export const dashboard = () => invoke<Dashboard>("dashboard");
export const syncNow = () => invoke<RunSummary>("sync_now");
export const setSchedule = (schedule: ScheduleSettings) => invoke<ScheduleState>("set_schedule", { schedule });
export const retry = (order: string | null) => invoke<number>("retry", { order });
export const settle = (order: string, note: string | null) => invoke<Settle>("settle", { order, note });
export const runs = (limit: number) => invoke<RunRow[]>("runs", { limit });
export const orders = (filter: OrderFilter) => invoke<OrderRow[]>("orders", { filter });
export const orderDetail = (search: string) => invoke<OrderDetail | null>("order_detail", { search });
export const exportCsv = (filter: OrderFilter) => invoke<[string, number] | null>("export_csv", { filter });
export const autostart = () => invoke<boolean>("autostart");
export const setAutostart = (enabled: boolean) => invoke<boolean>("set_autostart", { enabled });
export const logs = (minLevel: LogLevel, limit: number) => invoke<LogTail>("logs", { minLevel, limit });
export const exportDiagnostics = () => invoke<DiagnosticsReport | null>("export_diagnostics");
export const showInFolder = (path: string) => invoke<void>("show_in_folder", { path });
export const logWebviewError = (report: string) => invoke<void>("log_webview_error", { report });
export const updateNotice = () => invoke<UpdateNotice | null>("update_notice");
export const openUpdatePage = () => invoke<null>("open_update_page");
