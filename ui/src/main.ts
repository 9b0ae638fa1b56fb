// The app's shell: the wizard until settings exist, then the views Dashboard / History / Settings /
// Logs & support as a tablist. Support (logs, Export diagnostics) is also under the wizard, for a
// setup that does not go through. In demo mode a "Demo data" banner stays above every screen, with
// the way out to real accounts. Keyboard shortcuts (shortcuts.ts) work on every view; errors in the
// window reach the log files (errors.ts); relative times are kept current.
import "./style.css";
import { h, errorText } from "./dom";
import { leaveDemo, logWebviewError, openUpdatePage, setupState, startDemo, updateNotice } from "./api/commands";
import { onSyncEvent, onUpdateNotice } from "./api/events";
import type { Setup, SyncEvent, UpdateNotice } from "./api/types";
import { renderWizard } from "./wizard/wizard";
import { renderDashboard, type DashboardView } from "./dashboard/dashboard";
import { renderHistory, type HistoryView } from "./history/history";
import { renderSettings } from "./settings/settings";
import { renderSupport } from "./support/support";
import { tablist, type Tablist } from "./tabs";
import { isTyping, shortcutOf, shortcutsHelp } from "./shortcuts";
import { reportWebviewErrors } from "./errors";
import { refreshTimes } from "./time";

reportWebviewErrors(logWebviewError);

type View = "dashboard" | "history" | "settings" | "support";
const VIEWS: [View, string][] = [
  ["dashboard", "Dashboard"],
  ["history", "History"],
  ["settings", "Settings"],
  ["support", "Logs & support"],
];

const app = document.getElementById("app") as HTMLElement;
const help = shortcutsHelp(navigator.platform.startsWith("Mac"));
const header = h(
  "header",
  { class: "app-header" },
  h("h1", {}, "Quipt ShipStation Connector"),
  h(
    "button",
    { id: "help-button", type: "button", "aria-keyshortcuts": "?", onclick: () => help.open() },
    "Keyboard shortcuts",
  ),
);
const banner = h("div", { id: "banner-host" });
const update = h("div", { id: "update-host" });
const page = h("div", { id: "page" });
let eventSink: ((e: SyncEvent) => void) | null = null;

/** The views once settings exist: the tablist is built once, its panel's view replaced. */
interface Shell {
  tabs: Tablist;
  panel: HTMLElement;
  view: View;
  dashboard: DashboardView | null;
  history: HistoryView | null;
}
let current: Shell | null = null;

/** Shows a view; `step` opens Settings at that wizard step (a held order's fix). */
function shell(view: View, step?: string): Shell {
  if (!current || !page.contains(current.panel)) {
    const panel = h("div", { id: "content", role: "tabpanel" });
    const tabs = tablist(
      "Views",
      VIEWS.map(([id, label]) => ({ id: `tab-${id}`, label })),
      `tab-${view}`,
      "content",
      (id) => void shell(id.replace(/^tab-/, "") as View),
    );
    page.replaceChildren(tabs.element, panel);
    current = { tabs, panel, view, dashboard: null, history: null };
  }
  const s = current;
  Object.assign(s, { view, dashboard: null, history: null });
  s.tabs.select(`tab-${view}`);
  s.panel.setAttribute("aria-labelledby", `tab-${view}`);
  const content = h("div");
  s.panel.replaceChildren(content);
  eventSink = null;
  if (view === "dashboard") {
    s.dashboard = renderDashboard(content, (at) => shell("settings", at));
    eventSink = s.dashboard.onEvent;
  } else if (view === "history") {
    s.history = renderHistory(content);
    eventSink = s.history.onEvent;
  } else if (view === "support") {
    eventSink = renderSupport(content).onEvent;
  } else {
    void renderSettings(content, step).catch((e) => content.replaceChildren(h("p", { class: "error" }, errorText(e))));
  }
  return s;
}

/** Carries out a keyboard shortcut (shortcuts.ts); the wizard has none but the help. */
function onKey(e: KeyboardEvent): void {
  const action = shortcutOf(e, isTyping(e.target));
  if (!action) return;
  // Ctrl/Cmd+R must never reload the window, whatever is shown.
  e.preventDefault();
  if (action === "help") return help.open();
  if (!current || !page.contains(current.panel)) return;
  const at = (view: View) => (current && current.view === view ? current : shell(view));
  if (action === "sync") at("dashboard").dashboard?.syncNow();
  else if (action === "search") at("history").history?.focusSearch();
  else {
    shell("settings");
    document.getElementById("tab-settings")?.focus();
  }
}

/** The demo's banner (on every screen while in demo mode), or nothing. */
function showBanner(demo: boolean): void {
  banner.replaceChildren(
    demo
      ? h(
          "div",
          { id: "demo-banner", class: "demo-banner", role: "status" },
          h("b", {}, "Demo data"),
          h("span", {}, " — the built-in sandbox with sample orders. Nothing here touches your own accounts."),
          h(
            "button",
            { id: "leave-demo", type: "button", onclick: () => void leave() },
            "Leave demo and set up my accounts",
          ),
        )
      : "",
  );
}

/** A newer release than this app (the feed, checked once a day): its notes and a link to its page
 * in the browser. Nothing is installed from here. */
function showUpdate(notice: UpdateNotice | null): void {
  update.replaceChildren(
    notice
      ? h(
          "div",
          { id: "update-notice", class: "update-notice", role: "status", "data-version": notice.version },
          h("b", {}, `Version ${notice.version} is available`),
          notice.notes ? h("p", { id: "update-notes" }, notice.notes) : "",
          h(
            "a",
            {
              id: "update-link",
              href: "#",
              onclick: (e: Event) => {
                e.preventDefault();
                void openUpdatePage();
              },
            },
            "See what's new and download",
          ),
        )
      : "",
  );
}

/** Leaving the demo opens step 1 for the real accounts, with no second offer of the demo. */
async function leave(): Promise<void> {
  try {
    show(await leaveDemo(), false);
  } catch (e) {
    page.prepend(h("p", { class: "error" }, errorText(e)));
  }
}

function wizard(setup: Setup, welcome: boolean): void {
  const host = h("div");
  const support = h("div");
  const trouble = h(
    "details",
    {
      id: "wizard-support",
      class: "support",
      ontoggle: () => {
        if (trouble.open && !support.hasChildNodes()) renderSupport(support);
      },
    },
    h("summary", {}, "Having trouble? Logs and diagnostics"),
    support,
  );
  page.replaceChildren(host, trouble);
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
  app.replaceChildren(header, h("main", { id: "main" }, update, banner, page), help.dialog);
  document.addEventListener("keydown", onKey);
  setInterval(() => refreshTimes(app), 30_000);
  await onSyncEvent((e) => eventSink?.(e));
  await onUpdateNotice(showUpdate);
  void updateNotice().then(showUpdate, () => showUpdate(null));
  show(await setupState(), true);
}

start().catch((e) => app.replaceChildren(h("p", { class: "error" }, errorText(e))));
