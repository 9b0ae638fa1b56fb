// The dashboard: health, last and next sync, Sync now with progress, today's counts, rate budget,
// the last reconciliation, orders by state, orders needing attention with their fix and Retry /
// Retry all, and Mark settled for a conflict the operator dealt with outside. Built once; each engine event updates it in place (rows.ts), so the focus on a Retry
// button or a fix link survives a sync, and a change of health is announced politely.
import { h, errorCode, errorText } from "../dom";
import { dashboard, retry, settle, syncNow } from "../api/commands";
import type { Dashboard, OrderRow, OrderState, SyncEvent } from "../api/types";
import { fixFor } from "./fixes";
import {
  acknowledgingText,
  healthText,
  progressOf,
  reconciliationText,
  runNotes,
  settleRefusal,
  STATE_LABEL,
} from "../format";
import { setText, syncRows } from "../rows";
import { setTime, timeElement } from "../time";

/** How often the dashboard looks again while the engine starts or waits for the keyring (which
 * the engine tries every 5 s). */
const LOOK_AGAIN_MS = 2_000;

export interface DashboardView {
  onEvent: (e: SyncEvent) => void;
  /** Sync now, as its button does (the Ctrl/Cmd+R shortcut). */
  syncNow: () => void;
}

/** Held orders link to their fix: `openSettings(step)` opens Settings at that step. */
export function renderDashboard(root: HTMLElement, openSettings: (step: string) => void): DashboardView {
  const progressText = h("span", { id: "progress-text" });
  const bar = h("progress", { id: "progress", max: 1, value: 0, "aria-labelledby": "progress-label progress-text" });
  const message = h("p", { id: "sync-message", role: "status" });
  const button = h(
    "button",
    {
      id: "sync-now",
      class: "primary",
      type: "button",
      "aria-keyshortcuts": "Control+R Meta+R",
      onclick: () => void sync(),
    },
    "Sync now",
  );

  async function sync(): Promise<void> {
    if (button.disabled) return;
    button.disabled = true;
    message.textContent = "Syncing…";
    try {
      const s = await syncNow();
      message.textContent = `Last run: ${s.outcome} — ${s.created} created, ${s.updated} updated, ${s.held} held, ${s.failed} failed`;
    } catch (e) {
      message.textContent = errorText(e);
    }
    button.disabled = false;
    await load();
  }

  const health = h("div", { id: "health", class: "health" });
  const healthWords = h("span", { class: "health-words" });
  const reason = h("span", { id: "health-reason", class: "reason" });
  health.append(healthWords, reason);
  // Spoken when the health changes, not on every refresh (the visible block is not a live region).
  const announcement = h("p", { id: "health-announcement", class: "visually-hidden", role: "status" });
  // While Quipt still owes acknowledgements (the engine's backlog), hidden without one.
  const acknowledging = h("p", { id: "acknowledging", hidden: true });
  let lastHealth: string | null = null;

  const lastSuccess = timeElement(null);
  lastSuccess.id = "last-success";
  const nextRun = timeElement(null);
  nextRun.id = "next-run";
  const pushedToday = h("span", { id: "pushed-today" });
  const shippedToday = h("span", { id: "shipped-today" });
  const budget = h("span", { id: "rate-budget" });
  const reconciliation = h("span", { id: "reconciliation" });
  // What the last run said beyond its counts (rate limits met, data used from before),
  // hidden when it said nothing.
  const notesTitle = h("h2", { id: "last-run-notes-title" }, "The last run says");
  const notes = h("ul", { id: "last-run-notes", "aria-labelledby": "last-run-notes-title" });
  const card = (label: string, value: HTMLElement) =>
    h("div", { class: "card" }, h("span", { class: "card-label" }, label), value);

  const counts = h("ul", { id: "counts", class: "state-counts", "aria-labelledby": "counts-title" });
  const attentionTitle = h("h2", { id: "attention-title" });
  const retryAll = h(
    "button",
    {
      id: "retry-all",
      type: "button",
      onclick: () => void act(retryAll, () => retryOrders(null), "Could not retry the orders"),
    },
    "Retry all",
  );
  // Why a Retry, Retry all or Mark settled was refused (the engine not started yet, the history
  // busy, an order no longer in conflict).
  const retryError = h("p", { id: "retry-error", class: "error", role: "alert" });

  /** Does what `button` asks, then reloads; a refusal — thrown, or the words `action` returns — is
   * said, `failed` first. */
  async function act(button: HTMLButtonElement, action: () => Promise<string | null>, failed: string): Promise<void> {
    if (button.disabled) return;
    button.disabled = true;
    retryError.replaceChildren();
    try {
      const refused = await action();
      if (refused) setText(retryError, `${failed}: ${refused}`);
    } catch (e) {
      setText(retryError, `${failed}: ${errorText(e)}`);
    } finally {
      button.disabled = false;
    }
    await load();
  }

  /** Queues `order` (null: every held and failed one) for the next run. */
  const retryOrders = (order: string | null) => retry(order).then(() => null);
  /** Marks a conflict the operator dealt with outside the connector settled; the refusal's words. */
  const settleOrder = (order: string, note: string | null) => settle(order, note).then(settleRefusal);
  const attention = h("tbody");
  const attentionTable = h(
    "table",
    { id: "attention", "aria-labelledby": "attention-title" },
    h(
      "thead",
      {},
      h("tr", {}, ...["Order", "State", "Reason", "What fixes it", "Action"].map((c) => h("th", { scope: "col" }, c))),
    ),
    attention,
  );
  const view = h("div", { id: "dashboard-data" });
  const loadError = h("p", { class: "error", role: "alert" });

  let lookAgain: ReturnType<typeof setTimeout> | undefined;
  async function load(): Promise<void> {
    clearTimeout(lookAgain);
    try {
      draw(await dashboard());
      loadError.replaceChildren();
    } catch (e) {
      setText(loadError, errorText(e));
      // The engine is starting, or waits for the keyring (at login), and runs on its own once it
      // can, with no event to say so: look again (once) while this dashboard is shown.
      const code = errorCode(e);
      if (code === "starting" || code === "keyring_waiting") {
        clearTimeout(lookAgain);
        lookAgain = setTimeout(() => void (loadError.isConnected && load()), LOOK_AGAIN_MS);
      }
    }
  }

  function draw(d: Dashboard): void {
    const s = d.status;
    health.className = `health ${s.health}`;
    health.dataset.health = s.health;
    setText(healthWords, healthText(s.health));
    setText(reason, s.health_reason);
    if (lastHealth !== null && lastHealth !== s.health)
      setText(announcement, `Health: ${healthText(s.health)}. ${s.health_reason}`);
    lastHealth = s.health;
    setText(acknowledging, acknowledgingText(s.acknowledging));
    acknowledging.hidden = s.acknowledging <= 0;

    setTime(lastSuccess, s.last_success?.finished_at);
    if (d.schedule.paused) {
      setTime(nextRun, null);
      setText(nextRun, "paused");
    } else setTime(nextRun, d.schedule.next_run_at);
    setText(pushedToday, String(s.pushed_today));
    setText(shippedToday, String(s.shipped_today));
    const summary = s.last_run?.summary;
    setText(
      budget,
      summary?.rate_limit ? `${summary.rate_remaining ?? "?"} of ${summary.rate_limit} requests left` : "unknown",
    );
    const said = summary ? runNotes(summary) : [];
    syncRows(
      notes,
      said,
      (n) => n,
      (n) => h("li", {}, n),
      () => {},
    );
    notesTitle.hidden = notes.hidden = said.length === 0;
    setText(reconciliation, reconciliationText(s.last_reconciliation));
    if (s.last_reconciliation) {
      reconciliation.dataset.clean = String(s.last_reconciliation.clean);
      reconciliation.title = `Last reconciliation: ${s.last_reconciliation.trigger.replace("_", " ")}`;
    }

    syncRows(
      counts,
      s.counts,
      ([state]) => state,
      countItem,
      (li, entry) => updateCount(li, entry),
    );
    setText(attentionTitle, `Needs attention (${s.attention.length})`);
    retryAll.hidden = s.attention.length === 0;
    attentionTable.hidden = s.attention.length === 0;
    syncRows(attention, s.attention, (o) => o.quipt_id, attentionRow, updateAttentionRow);
  }

  function countItem(entry: [OrderState, number]): HTMLElement {
    const li = h(
      "li",
      { class: `state-count state-${entry[0]}` },
      h("span", { class: "state-name" }),
      " ",
      h("b", { "data-state": entry[0] }),
    );
    updateCount(li, entry);
    return li;
  }

  function updateCount(li: HTMLElement, [state, n]: [OrderState, number]): void {
    setText(li.querySelector(".state-name")!, STATE_LABEL[state]);
    setText(li.querySelector("b")!, String(n));
  }

  function attentionRow(o: OrderRow): HTMLElement {
    const row = h(
      "tr",
      { "data-order": o.order_number },
      h("td", { class: "order-number" }),
      h("td", { class: "state" }),
      h("td", { class: "reason" }),
      h("td", { class: "fix" }),
      h(
        "td",
        {},
        h("button", {
          type: "button",
          class: "retry",
          onclick: (e) =>
            void act(
              e.currentTarget as HTMLButtonElement,
              () => retryOrders(o.quipt_id),
              `Could not retry order ${o.order_number}`,
            ),
        }),
        " ",
        // Only a conflict is settled: a held or failed order is fixed, or retried.
        h(
          "button",
          {
            type: "button",
            class: "settle",
            "aria-label": `Mark order ${o.order_number} settled`,
            "aria-expanded": "false",
            title: "Settled outside the connector (with the buyer, in Quipt): it no longer needs attention",
            onclick: () => openSettle(row, true),
          },
          "Mark settled",
        ),
        settleForm(o),
      ),
    );
    updateAttentionRow(row, o);
    return row;
  }

  /** Asks how the conflict was settled (optional; kept in the order's timeline), then settles it. */
  function settleForm(o: OrderRow): HTMLElement {
    const note = h("input", {
      type: "text",
      class: "settle-note",
      maxlength: "500",
      placeholder: "How it was settled (optional)",
      "aria-label": `How order ${o.order_number} was settled, kept in its timeline`,
    });
    const confirm = h("button", { type: "submit", class: "settle-confirm" }, "Settle");
    const form = h(
      "form",
      {
        class: "settle-form",
        hidden: "",
        onsubmit: (e) => {
          e.preventDefault();
          const row = form.closest("tr")! as HTMLElement;
          void act(
            confirm,
            () => settleOrder(o.quipt_id, note.value.trim() || null),
            `Could not mark order ${o.order_number} settled`,
          ).then(() => openSettle(row, false));
        },
        onkeydown: (e) => {
          if ((e as KeyboardEvent).key === "Escape") openSettle(form.closest("tr")! as HTMLElement, false);
        },
      },
      note,
      " ",
      confirm,
      " ",
      h(
        "button",
        {
          type: "button",
          class: "settle-cancel",
          onclick: () => openSettle(form.closest("tr")! as HTMLElement, false),
        },
        "Cancel",
      ),
    );
    return form;
  }

  /** Shows (with the focus in the note) or hides a row's Mark settled form. */
  function openSettle(row: HTMLElement, open: boolean): void {
    const form = row.querySelector<HTMLFormElement>("form.settle-form")!;
    const button = row.querySelector<HTMLButtonElement>("button.settle")!;
    form.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) form.querySelector<HTMLInputElement>("input.settle-note")!.focus();
    else form.reset();
  }

  function updateAttentionRow(row: HTMLElement, o: OrderRow): void {
    const cell = (name: string) => row.querySelector(`.${name}`)!;
    setText(cell("order-number"), o.order_number);
    setText(cell("state"), STATE_LABEL[o.state]);
    setText(cell("reason"), o.reason ?? "");
    const fix = fixFor(o);
    const fixCell = cell("fix");
    // Rebuilt only when the fix itself changed: the link keeps its focus otherwise.
    const fixKey = fix ? `${fix.where}:${"step" in fix ? fix.step : ""}:${fix.text}` : "";
    if ((fixCell as HTMLElement).dataset.fix !== fixKey) {
      (fixCell as HTMLElement).dataset.fix = fixKey;
      fixCell.replaceChildren(fixLink(o));
    }
    const button = row.querySelector("button.retry")!;
    setText(button, o.retry ? "Queued" : "Retry");
    button.setAttribute("aria-label", `${o.retry ? "Queued" : "Retry"} order ${o.order_number}`);
    // A row is kept across updates, and an order held before may be in conflict now.
    const conflict = o.state === "conflict";
    row.querySelector<HTMLButtonElement>("button.settle")!.hidden = !conflict;
    if (!conflict) row.querySelector<HTMLFormElement>("form.settle-form")!.hidden = true;
  }

  function fixLink(order: OrderRow): HTMLElement | string {
    const fix = fixFor(order);
    if (!fix) return "";
    if (fix.where === "quipt") return h("span", { class: "hint" }, fix.text);
    return h(
      "a",
      {
        href: "#",
        class: "fix-link",
        "data-step": fix.step,
        onclick: (e) => {
          e.preventDefault();
          openSettings(fix.step);
        },
      },
      fix.text,
    );
  }

  view.append(
    health,
    announcement,
    acknowledging,
    h(
      "div",
      { class: "cards" },
      card("Last successful sync", lastSuccess),
      card("Next sync", nextRun),
      card("Pushed today", pushedToday),
      card("Tracking sent today", shippedToday),
      card("ShipStation budget", budget),
      card("Last reconciliation", reconciliation),
    ),
    notesTitle,
    notes,
    h("h2", { id: "counts-title" }, "Orders by state"),
    counts,
    attentionTitle,
    retryAll,
    retryError,
    attentionTable,
  );
  root.replaceChildren(
    h(
      "section",
      { id: "dashboard", "aria-label": "Dashboard" },
      h(
        "div",
        { class: "row" },
        button,
        h("span", { id: "progress-label", class: "visually-hidden" }, "Sync progress"),
        bar,
        progressText,
      ),
      message,
      loadError,
      view,
    ),
  );
  void load();
  return {
    syncNow: () => void sync(),
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
