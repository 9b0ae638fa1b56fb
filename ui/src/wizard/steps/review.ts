import { h, errorText } from "../../dom";
import { dryRun } from "../../api/commands";
import { GUIDE } from "../guide";
import type { Step } from "../step";
import type { RunSummary } from "../../api/types";

/**
 * The dry run's counts above its list, so that they add up to the orders listed (and the "more"
 * line): the cancellations and the copies put on hold in ShipStation only when there are any,
 * which happens only when a history exists before the wizard.
 */
export function previewLine(s: RunSummary): string {
  const also = [
    s.cancelled_in_shipstation > 0 ? `, cancel ${s.cancelled_in_shipstation}` : "",
    s.held_in_shipstation > 0 ? `, put ${s.held_in_shipstation} on hold in ShipStation` : "",
  ].join("");
  return `Would create ${s.created}, update ${s.updated}, hold ${s.held}${also}; ${s.failed} would fail.`;
}

export const review: Step = {
  id: "review",
  title: GUIDE.review.title,
  render: (ctx) => {
    const d = ctx.draft;
    const preview = h("div", { id: "preview" }, "Computing what the first sync would do…");
    // `preview` is absent when the first sync would do nothing (the Rust side skips an empty list).
    dryRun(d)
      .then((s) => {
        preview.replaceChildren(
          h("p", { id: "preview-counts" }, previewLine(s)),
          h(
            "table",
            { id: "preview-list", "aria-label": "What the first sync would do, order by order" },
            h("thead", {}, h("tr", {}, ...["Order", "Would be", "Why"].map((c) => h("th", { scope: "col" }, c)))),
            h(
              "tbody",
              {},
              ...(s.preview ?? []).map((p) =>
                h(
                  "tr",
                  { "data-action": p.action },
                  h("td", {}, p.order_number),
                  h("td", {}, p.action),
                  h("td", {}, p.detail),
                ),
              ),
            ),
          ),
          s.preview_more > 0
            ? h("p", { id: "preview-more", class: "hint" }, `…and ${s.preview_more} more orders, counted above.`)
            : "",
        );
      })
      .catch((e) => preview.replaceChildren(h("p", { class: "error" }, errorText(e))));
    return h(
      "section",
      {},
      h(
        "ul",
        { id: "summary" },
        h("li", {}, `Quipt API user: ${d.quipt.api_user_email || "(not given)"}`),
        h(
          "li",
          {},
          d.stores.single_store
            ? `All orders to store ${d.stores.default_store_id}`
            : `A store per channel: ${Object.entries(d.stores.channel_store_ids)
                .map(([c, id]) => `${c} → ${id}`)
                .join(", ")}`,
        ),
        h(
          "li",
          {},
          `Pending orders: ${d.orders.push_validating ? "sent as awaiting payment" : "wait until ready to ship"}`,
        ),
        h(
          "li",
          {},
          `Carrier: ${GUIDE.carrier.options[d.carrier.preferred]}, ${d.carrier.default_service}; default assignment ${d.carrier.assign_default ? "on" : "OFF"}; USPS ${d.carrier.usps_supported ? "supported" : "not supported"}`,
        ),
        h("li", {}, `Cancel mode: ${d.cancel.mode}`),
        h("li", {}, `Warehouses: ${d.warehouses.codes.join(", ")}`),
      ),
      h("h3", {}, "Dry run of the first sync (nothing is written)"),
      preview,
    );
  },
};
