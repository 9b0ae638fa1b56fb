// History: order search (Quipt or ShipStation order number, tracking number), filters, the order's
// timeline and tracking, CSV export, orders sent per day, the orders and the runs. Built once; when
// the engine reports a run, the lists, the chart and an open order are updated in place, so the
// focus and the open order survive it.
import { h, errorText } from "../dom";
import { dashboard, exportCsv, orderDetail, orders, runs } from "../api/commands";
import type {
  OrderDetail,
  OrderFilter,
  OrderRow,
  OrderState,
  RunRow,
  SyncEvent,
  TimelineEvent,
  TrackingRow,
} from "../api/types";
import { OUTCOME_LABEL, plural, runNotes, STATE_LABEL, TIMELINE_LABEL, TRACKING_LABEL, TRIGGER_LABEL } from "../format";
import { setText, syncRows } from "../rows";
import { localMidnight, setTime, timeElement } from "../time";
import { showInFolderButton } from "../folder";
import { chartOf, renderChart } from "./chart";

export interface HistoryView {
  onEvent: (e: SyncEvent) => void;
  /** Puts the focus in the search box (the Ctrl/Cmd+F shortcut). */
  focusSearch: () => void;
}

const STATES: OrderState[] = ["held", "failed", "shipped", "cancelled", "pushed", "pending", "conflict", "settled"];

export function renderHistory(root: HTMLElement): HistoryView {
  const search = h("input", {
    id: "search",
    type: "search",
    autocomplete: "off",
    "aria-keyshortcuts": "Control+F Meta+F",
    placeholder: "Order number or tracking number",
  });
  const state = h(
    "select",
    { id: "filter-state" },
    h("option", { value: "" }, "All states"),
    ...STATES.map((s) => h("option", { value: s }, STATE_LABEL[s])),
  );
  const since = h("input", { id: "filter-since", type: "date" });
  const exported = h("p", { id: "export-result", role: "status" });
  const reveal = h("span", { id: "export-folder" });
  const detail = h("div", { id: "order-detail", "aria-live": "polite" });
  const chart = h("div", { id: "chart", class: "chart" });
  const orderRows = h("tbody");
  const listError = h("p", { class: "error", role: "alert" });
  const runRows = h("tbody");
  /** The order shown in the detail (its Quipt id), kept open across updates. */
  let open: string | null = null;

  const filter = (): OrderFilter => ({
    state: (state.value || null) as OrderState | null,
    since: since.value ? localMidnight(since.value) : null,
    limit: 500,
  });

  async function showDetail(term: string): Promise<void> {
    if (!term) return;
    try {
      const d = await orderDetail(term);
      if (!d) {
        open = null;
        detail.replaceChildren(h("p", { class: "error" }, `No order or tracking number matches "${term}".`));
      } else {
        drawDetail(d);
      }
    } catch (e) {
      detail.replaceChildren(h("p", { class: "error" }, errorText(e)));
    }
    markOpen();
  }

  function drawDetail(d: OrderDetail): void {
    if (open !== d.order.quipt_id || !detail.querySelector("#timeline")) {
      open = d.order.quipt_id;
      detail.replaceChildren(
        h(
          "h3",
          { id: "detail-title" },
          h("span", { class: "detail-number" }),
          " ",
          h("span", { id: "detail-state", class: "badge" }),
        ),
        h("p", { id: "detail-reason" }),
        h("h4", {}, "Timeline"),
        h("ol", { id: "timeline", class: "timeline" }),
        h("h4", { id: "tracking-title" }, "Tracking"),
        h(
          "table",
          { id: "tracking", "aria-labelledby": "tracking-title" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              ...["Tracking number", "Carrier", "Kind", "State", "Quipt's id"].map((c) => h("th", { scope: "col" }, c)),
            ),
          ),
          h("tbody"),
        ),
      );
      detail.setAttribute("aria-labelledby", "detail-title");
    }
    setText(detail.querySelector(".detail-number")!, `Order ${d.order.order_number}`);
    const badge = detail.querySelector<HTMLElement>("#detail-state")!;
    setText(badge, STATE_LABEL[d.order.state]);
    badge.dataset.state = d.order.state;
    const reason = detail.querySelector<HTMLElement>("#detail-reason")!;
    setText(reason, d.order.reason ?? "");
    reason.hidden = !d.order.reason;
    // Keyed by what an entry says, not its place: the oldest entries are pruned (retention).
    syncRows(
      detail.querySelector("#timeline")!,
      d.timeline,
      (ev) => `${ev.at}\u001f${ev.kind}\u001f${ev.message}`,
      timelineItem,
      () => undefined,
    );
    const tracking = detail.querySelector<HTMLElement>("#tracking")!;
    tracking.hidden = d.tracking.length === 0;
    detail.querySelector<HTMLElement>("#tracking-title")!.hidden = d.tracking.length === 0;
    syncRows(
      tracking.querySelector("tbody")!,
      d.tracking,
      (t) => t.external_id,
      trackingRow,
      (row, t) => setText(row.children[3], TRACKING_LABEL[t.state]),
    );
  }

  const timelineItem = (ev: TimelineEvent) =>
    h(
      "li",
      { "data-kind": ev.kind },
      timeElement(ev.at),
      " ",
      h("b", {}, TIMELINE_LABEL[ev.kind]),
      h("span", { class: "timeline-message" }, ev.message),
    );

  const trackingRow = (t: TrackingRow) =>
    h(
      "tr",
      {},
      h("td", {}, t.tracking_number ?? "—"),
      h("td", {}, t.carrier_code ?? "—"),
      h("td", {}, t.kind),
      h("td", {}, TRACKING_LABEL[t.state]),
      h("td", { class: "id" }, t.external_id),
    );

  function orderRow(o: OrderRow): HTMLElement {
    const row = h(
      "tr",
      {},
      h(
        "td",
        {},
        h("button", {
          type: "button",
          class: "link",
          "aria-controls": "order-detail",
          onclick: () => void showDetail(o.quipt_id),
        }),
      ),
      h("td", {}),
      h("td", {}),
      h("td", {}),
      h("td", {}, timeElement(o.updated_at)),
    );
    updateOrderRow(row, o);
    return row;
  }

  function updateOrderRow(row: HTMLElement, o: OrderRow): void {
    const [number, channel, orderState, reason, updated] = Array.from(row.children);
    setText(number.firstElementChild!, o.order_number);
    setText(channel, o.channel ?? "");
    setText(orderState, STATE_LABEL[o.state]);
    setText(reason, o.reason ?? "");
    setTime(updated.firstElementChild as HTMLElement, o.updated_at);
  }

  /** The open order's row says so (to the eye and to a screen reader). */
  function markOpen(): void {
    for (const row of Array.from(orderRows.children) as HTMLElement[]) {
      const on = row.dataset.key === open;
      row.classList.toggle("selected", on);
      const button = row.querySelector("button")!;
      if (on) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    }
  }

  async function loadList(): Promise<void> {
    try {
      syncRows(orderRows, await orders(filter()), (o) => o.quipt_id, orderRow, updateOrderRow);
      markOpen();
      listError.replaceChildren();
    } catch (e) {
      setText(listError, errorText(e));
    }
  }

  function runRow(r: RunRow): HTMLElement {
    const row = h("tr", {}, h("td", {}, timeElement(r.started_at)), h("td", {}), h("td", {}), h("td", {}), h("td", {}));
    updateRunRow(row, r);
    return row;
  }

  function updateRunRow(row: HTMLElement, r: RunRow): void {
    const [, trigger, kind, outcome, what] = Array.from(row.children);
    setText(trigger, TRIGGER_LABEL[r.trigger]);
    setText(kind, r.dry_run ? "Dry run" : "Sync");
    setText(outcome, OUTCOME_LABEL[r.outcome]);
    const s = r.summary;
    const counted = s
      ? `${s.created} created, ${s.updated} updated, ${s.held} held, ${s.failed} failed, ${s.tracking_reported} tracking sent`
      : "";
    setText(what, [r.error ?? counted, ...(s ? runNotes(s) : [])].filter((t) => t).join("; "));
  }

  const loadChart = () =>
    dashboard()
      .then((d) => renderChart(chart, chartOf(d.status.per_day)))
      .catch((e) => chart.replaceChildren(h("p", { class: "error" }, errorText(e))));
  const loadRuns = () =>
    runs(20)
      .then((rs) => syncRows(runRows, rs, (r) => String(r.id), runRow, updateRunRow))
      .catch((e) => runRows.replaceChildren(h("tr", {}, h("td", { colspan: 5, class: "error" }, errorText(e)))));

  const exportButton = h(
    "button",
    {
      id: "export-csv",
      type: "button",
      onclick: async () => {
        reveal.replaceChildren();
        try {
          const r = await exportCsv(filter());
          exported.textContent = r ? `Saved ${plural(r[1], "order")} to ${r[0]}` : "Export cancelled";
          if (r) reveal.replaceChildren(showInFolderButton(r[0], "show-export"));
        } catch (e) {
          exported.textContent = errorText(e);
        }
      },
    },
    "Export CSV",
  );

  root.replaceChildren(
    h(
      "section",
      { id: "history", "aria-label": "History" },
      h(
        "form",
        {
          id: "search-form",
          role: "search",
          class: "row",
          onsubmit: (e) => {
            e.preventDefault();
            void showDetail(search.value.trim());
          },
        },
        h("label", { for: "search" }, "Find an order"),
        search,
        h("button", { id: "search-go", type: "submit" }, "Find"),
      ),
      h(
        "form",
        {
          id: "filter-form",
          class: "row",
          "aria-label": "Filter the orders",
          onsubmit: (e) => {
            e.preventDefault();
            void loadList();
          },
        },
        h("label", {}, "State ", state),
        h("label", {}, "Changed since ", since),
        h("button", { id: "filter-go", type: "submit" }, "Filter"),
        exportButton,
      ),
      h("div", { class: "row" }, exported, reveal),
      detail,
      h("h2", { id: "chart-title" }, "Orders sent per day"),
      chart,
      h("h2", { id: "orders-title" }, "Orders"),
      listError,
      h(
        "table",
        { id: "orders", "aria-labelledby": "orders-title" },
        h(
          "thead",
          {},
          h("tr", {}, ...["Order", "Channel", "State", "Reason", "Updated"].map((c) => h("th", { scope: "col" }, c))),
        ),
        orderRows,
      ),
      h("h2", { id: "runs-title" }, "Runs"),
      h(
        "table",
        { id: "runs", "aria-labelledby": "runs-title" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ...["Started", "Started by", "Kind", "Result", "What it did"].map((c) => h("th", { scope: "col" }, c)),
          ),
        ),
        runRows,
      ),
    ),
  );
  void loadList();
  void loadChart();
  void loadRuns();
  return {
    focusSearch: () => {
      search.focus();
      search.select();
    },
    onEvent: (e) => {
      if (e.type !== "run_finished" || e.summary.dry_run) return;
      void loadList();
      void loadChart();
      void loadRuns();
      if (open)
        void orderDetail(open)
          .then((d) => d && drawDetail(d))
          .catch(() => undefined);
    },
  };
}
