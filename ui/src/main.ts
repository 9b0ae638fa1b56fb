// The app's shell: the wizard until settings exist, then Dashboard / History / Settings / Support.
// Support (logs, Export diagnostics) is also under the wizard, for a setup that does not go through.
// In demo mode a "Demo data" banner stays above every screen, with the way out to real accounts.
import "./style.css";
import { h, errorText } from "./dom";
import { leaveDemo, setupState, startDemo } from "./api/commands";
import { onSyncEvent } from "./api/events";
import type { Setup, SyncEvent } from "./api/types";
import { renderWizard } from "./wizard/wizard";
import { renderDashboard } from "./dashboard/dashboard";
import { renderHistory } from "./history/history";
import { renderSettings } from "./settings/settings";
import { renderSupport } from "./support/support";

const app = document.getElementById("app") as HTMLElement;
const banner = h("div", { id: "banner-host" });
const page = h("div", { id: "page" });
let eventSink: ((e: SyncEvent) => void) | null = null;

/** The tabs; `step` opens Settings at that wizard step (a held order's fix). */
function shell(view: "dashboard" | "history" | "settings" | "support", step?: string): void {
  const content = h("div", { id: "content" });
  const tab = (id: typeof view, label: string) =>
    h("button", { id: `tab-${id}`, type: "button", class: id === view ? "tab active" : "tab", onclick: () => shell(id) }, label);
  page.replaceChildren(h("nav", {}, tab("dashboard", "Dashboard"), tab("history", "History"), tab("settings", "Settings"), tab("support", "Logs & support")), content);
  eventSink = null;
  if (view === "dashboard") eventSink = renderDashboard(content, (at) => shell("settings", at)).onEvent;
  else if (view === "history") renderHistory(content);
  else if (view === "support") eventSink = renderSupport(content).onEvent;
  else void renderSettings(content, step).catch((e) => content.replaceChildren(h("p", { class: "error" }, errorText(e))));
}

/** The demo's banner (on every screen while in demo mode), or nothing. */
function showBanner(demo: boolean): void {
  banner.replaceChildren(demo
    ? h("div", { id: "demo-banner", class: "demo-banner", role: "status" },
        h("b", {}, "Demo data"),
        h("span", {}, " — the built-in sandbox with sample orders. Nothing here touches your own accounts."),
        h("button", { id: "leave-demo", type: "button", onclick: () => void leave() }, "Leave demo and set up my accounts"))
    : "");
}

/** Leaving the demo opens step 1 for the real accounts, with no second offer of the demo. */
async function leave(): Promise<void> {
  try { show(await leaveDemo(), false); } catch (e) { page.prepend(h("p", { class: "error" }, errorText(e))); }
}

function wizard(setup: Setup, welcome: boolean): void {
  const host = h("div");
  const support = h("div");
  const help = h("details", { id: "wizard-support", class: "support", ontoggle: () => { if (help.open && !support.hasChildNodes()) renderSupport(support); } },
    h("summary", {}, "Having trouble? Logs and diagnostics"), support);
  page.replaceChildren(host, help);
  eventSink = null;
  // The demo is offered only while nothing of a real setup exists (the Rust side decides).
  const onDemo = welcome && setup.demo_offered ? async () => show(await startDemo(), false) : null;
  renderWizard(host, setup.draft, () => shell("dashboard"), { onDemo });
  if (setup.problem) page.prepend(h("p", { class: "error" }, `The settings file could not be used: ${setup.problem}`));
}

function show(setup: Setup, welcome: boolean): void {
  showBanner(setup.demo);
  if (setup.settings) shell("dashboard");
  else wizard(setup, welcome);
}

async function start(): Promise<void> {
  app.replaceChildren(banner, page);
  await onSyncEvent((e) => eventSink?.(e));
  show(await setupState(), true);
}

start().catch((e) => app.replaceChildren(h("p", { class: "error" }, errorText(e))));
