// The dashboard: health, last and next sync, Sync now with progress, today's counts, rate budget,
// the last reconciliation, orders needing attention with their fix and Retry / Retry all.
import { h, errorText, type Child } from "../dom";
import { dashboard, retry, syncNow } from "../api/commands";
import type { Dashboard, OrderRow, SyncEvent } from "../api/types";
import { fixFor } from "./fixes";
import { acknowledgingText, ago, healthText, progressOf, reconciliationText } from "../format";

/** Held orders link to their fix: `openSettings(step)` opens Settings at that step. */
export function renderDashboard(root: HTMLElement, openSettings: (step: string) => void): { onEvent: (e: SyncEvent) => void } {
  const bar = h("progress", { id: "progress", max: 1, value: 0 });
  const progressText = h("span", { id: "progress-text" });
  const view = h("div", { id: "dashboard-data" });
  const message = h("p", { id: "sync-message" });
  const button = h("button", { id: "sync-now", class: "primary", type: "button", onclick: async () => {
    button.setAttribute("disabled", "");
    message.textContent = "Syncing…";
    try {
      const s = await syncNow();
      message.textContent = `Last run: ${s.outcome} — ${s.created} created, ${s.updated} updated, ${s.held} held, ${s.failed} failed`;
    } catch (e) { message.textContent = errorText(e); }
    button.removeAttribute("disabled");
    await load();
  } }, "Sync now");

  async function load(): Promise<void> {
    try { draw(await dashboard()); } catch (e) { view.replaceChildren(h("p", { class: "error" }, errorText(e))); }
  }

  function draw(d: Dashboard): void {
    const s = d.status;
    const budget = s.last_run?.summary;
    view.replaceChildren(
      h("div", { id: "health", class: `health ${s.health}`, "data-health": s.health }, healthText(s.health),
        h("span", { id: "health-reason", class: "reason" }, s.health_reason)),
      s.acknowledging > 0 ? h("p", { id: "acknowledging" }, acknowledgingText(s.acknowledging)) : "",
      h("div", { class: "cards" },
        h("div", { class: "card" }, h("b", {}, "Last successful sync"), h("span", { id: "last-success" }, ago(s.last_success?.finished_at))),
        h("div", { class: "card" }, h("b", {}, "Next sync"), h("span", { id: "next-run" }, d.schedule.paused ? "paused" : ago(d.schedule.next_run_at))),
        h("div", { class: "card" }, h("b", {}, "Pushed today"), h("span", { id: "pushed-today" }, s.pushed_today)),
        h("div", { class: "card" }, h("b", {}, "Tracking sent today"), h("span", { id: "shipped-today" }, s.shipped_today)),
        h("div", { class: "card" }, h("b", {}, "ShipStation budget"), h("span", { id: "rate-budget" },
          budget?.rate_limit ? `${budget.rate_remaining ?? "?"} of ${budget.rate_limit} requests left` : "unknown")),
        h("div", { class: "card" }, h("b", {}, "Last reconciliation"), h("span", {
          id: "reconciliation",
          "data-clean": s.last_reconciliation ? String(s.last_reconciliation.clean) : undefined,
          title: s.last_reconciliation?.trigger.replace("_", " "),
        }, reconciliationText(s.last_reconciliation)))),
      h("table", { id: "counts" }, ...s.counts.map(([state, n]) => h("tr", {}, h("td", {}, state), h("td", { "data-state": state }, n)))),
      h("h3", {}, `Needs attention (${s.attention.length})`),
      s.attention.length > 0 ? h("button", { id: "retry-all", type: "button", onclick: async () => { await retry(null); await load(); } }, "Retry all") : "",
      h("table", { id: "attention" }, ...s.attention.map((o) => h("tr", { "data-order": o.order_number },
        h("td", {}, o.order_number), h("td", {}, o.state), h("td", {}, o.reason ?? ""), h("td", { class: "fix" }, fixLink(o)),
        h("td", {}, h("button", { type: "button", onclick: async () => { await retry(o.quipt_id); await load(); } }, o.retry ? "Queued" : "Retry"))))));
  }

  function fixLink(order: OrderRow): Child {
    const fix = fixFor(order);
    if (!fix) return "";
    if (fix.where === "quipt") return h("span", { class: "hint" }, fix.text);
    return h("a", { href: "#", class: "fix-link", "data-step": fix.step, onclick: (e) => { e.preventDefault(); openSettings(fix.step); } }, fix.text);
  }

  root.replaceChildren(h("section", { id: "dashboard" }, h("div", { class: "row" }, button, bar, progressText), message, view));
  void load();
  return {
    onEvent: (e) => {
      if (e.type === "progress") {
        const p = progressOf(e);
        bar.value = p.fraction;
        bar.dataset.events = String(Number(bar.dataset.events ?? "0") + 1);
        progressText.textContent = p.text;
      } else if (e.type === "run_started" && !e.dry_run) {
        progressText.textContent = "Starting…";
        bar.value = 0;
      } else if (e.type === "run_finished" && !e.summary.dry_run) {
        progressText.textContent = `Finished: ${e.summary.outcome}`;
        bar.value = 1;
        void load();
      } else if (e.type === "health_changed") {
        void load();
      }
    },
  };
}
