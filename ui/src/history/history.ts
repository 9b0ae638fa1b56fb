// History: runs, order search (Quipt or ShipStation order number, tracking number), filters, the
// order's timeline, CSV export and orders synced per day.
import { h, errorText } from "../dom";
import { dashboard, exportCsv, orderDetail, orders, runs } from "../api/commands";
import type { OrderFilter, OrderState } from "../api/types";
import { chartBars } from "../format";

export function renderHistory(root: HTMLElement): void {
  const search = h("input", { id: "search", placeholder: "Order number or tracking number" });
  const state = h("select", { id: "filter-state" }, h("option", { value: "" }, "All states"),
    ...["held", "failed", "shipped", "cancelled", "pushed", "pending", "conflict"].map((s) => h("option", { value: s }, s)));
  const since = h("input", { id: "filter-since", type: "date" });
  const list = h("table", { id: "orders" });
  const detail = h("div", { id: "order-detail" });
  const exported = h("p", { id: "export-result" });
  const chart = h("div", { id: "chart", class: "chart" });
  const runList = h("table", { id: "runs" });

  const filter = (): OrderFilter => ({
    state: (state.value || null) as OrderState | null,
    since: since.value ? `${since.value}T00:00:00Z` : null,
    limit: 500,
  });

  async function showDetail(term: string): Promise<void> {
    const d = await orderDetail(term);
    if (!d) { detail.replaceChildren(h("p", { class: "error" }, `No order or tracking number matches "${term}".`)); return; }
    detail.replaceChildren(
      h("h3", {}, `Order ${d.order.order_number}`, h("span", { id: "detail-state", class: "badge" }, d.order.state)),
      d.order.reason ? h("p", {}, d.order.reason) : "",
      h("ol", { id: "timeline" }, ...d.timeline.map((ev) => h("li", {}, `${ev.at} — ${ev.kind}: ${ev.message}`))),
      ...d.tracking.map((t) => h("p", { class: "tracking" }, JSON.stringify(t))));
  }

  async function loadList(): Promise<void> {
    try {
      const rows = await orders(filter());
      list.replaceChildren(h("tr", {}, h("th", {}, "Order"), h("th", {}, "State"), h("th", {}, "Reason"), h("th", {}, "Updated")),
        ...rows.map((o) => h("tr", { onclick: () => void showDetail(o.quipt_id) },
          h("td", {}, o.order_number), h("td", {}, o.state), h("td", {}, o.reason ?? ""), h("td", {}, o.updated_at))));
    } catch (e) { list.replaceChildren(h("tr", {}, h("td", { class: "error" }, errorText(e)))); }
  }

  root.replaceChildren(h("section", { id: "history" },
    h("div", { class: "row" }, search,
      h("button", { id: "search-go", type: "button", onclick: () => void showDetail(search.value.trim()) }, "Find"),
      state, since, h("button", { id: "filter-go", type: "button", onclick: () => void loadList() }, "Filter"),
      h("button", { id: "export-csv", type: "button", onclick: async () => {
        try {
          const r = await exportCsv(filter());
          exported.textContent = r ? `Saved ${r[1]} orders to ${r[0]}` : "Export cancelled";
        } catch (e) { exported.textContent = errorText(e); }
      } }, "Export CSV")),
    exported, detail,
    h("h3", {}, "Orders synced per day"), chart,
    h("h3", {}, "Orders"), list,
    h("h3", {}, "Runs"), runList));
  void loadList();
  dashboard().then((d) => chart.replaceChildren(...chartBars(d.status.per_day).map((b) => {
    const bar = h("div", { class: "bar", title: `${b.day}: ${b.count}` }, h("span", {}, b.count));
    bar.style.height = `${Math.max(2, b.percent)}%`;
    return bar;
  }))).catch(() => undefined);
  runs(20).then((rs) => runList.replaceChildren(...rs.map((r) => h("tr", {},
    h("td", {}, r.started_at), h("td", {}, r.trigger), h("td", {}, r.dry_run ? "dry run" : ""), h("td", {}, r.outcome), h("td", {}, r.error ?? ""))))).catch(() => undefined);
}
