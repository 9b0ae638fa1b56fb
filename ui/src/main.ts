// The app's shell: the wizard until settings exist, then Dashboard / History / Settings / Support.
// Support (logs, Export diagnostics) is also under the wizard, for a setup that does not go through.
import "./style.css";
import { h, errorText } from "./dom";
import { setupState } from "./api/commands";
import { onSyncEvent } from "./api/events";
import type { SyncEvent } from "./api/types";
import { renderWizard } from "./wizard/wizard";
import { renderDashboard } from "./dashboard/dashboard";
import { renderHistory } from "./history/history";
import { renderSettings } from "./settings/settings";
import { renderSupport } from "./support/support";

const app = document.getElementById("app") as HTMLElement;
let eventSink: ((e: SyncEvent) => void) | null = null;

function shell(view: "dashboard" | "history" | "settings" | "support"): void {
  const content = h("div", { id: "content" });
  const tab = (id: typeof view, label: string) =>
    h("button", { id: `tab-${id}`, type: "button", class: id === view ? "tab active" : "tab", onclick: () => shell(id) }, label);
  app.replaceChildren(h("nav", {}, tab("dashboard", "Dashboard"), tab("history", "History"), tab("settings", "Settings"), tab("support", "Logs & support")), content);
  eventSink = null;
  if (view === "dashboard") eventSink = renderDashboard(content).onEvent;
  else if (view === "history") renderHistory(content);
  else if (view === "support") eventSink = renderSupport(content).onEvent;
  else void renderSettings(content, () => shell("dashboard")).catch((e) => content.replaceChildren(h("p", { class: "error" }, errorText(e))));
}

async function start(): Promise<void> {
  await onSyncEvent((e) => eventSink?.(e));
  const setup = await setupState();
  if (setup.settings) {
    shell("dashboard");
  } else {
    const wizard = h("div");
    const support = h("div");
    const help = h("details", { id: "wizard-support", class: "support", ontoggle: () => { if (help.open && !support.hasChildNodes()) renderSupport(support); } },
      h("summary", {}, "Having trouble? Logs and diagnostics"), support);
    app.replaceChildren(wizard, help);
    renderWizard(wizard, setup.draft, () => shell("dashboard"));
    if (setup.problem) app.prepend(h("p", { class: "error" }, `The settings file could not be used: ${setup.problem}`));
  }
}

start().catch((e) => app.replaceChildren(h("p", { class: "error" }, errorText(e))));
