import { h } from "../../dom";
import type { Step } from "../step";

let hardConfirmed = false;

export const cancelMode: Step = {
  id: "cancel_mode",
  title: "6. Cancel mode",
  render: (ctx) => {
    const mode = ctx.draft.cancel.mode;
    return h("section", {},
      h("p", {}, "What happens in Quipt when an order is cancelled in ShipStation?"),
      h("label", {}, h("input", { type: "radio", name: "cancel", id: "cancel-soft", checked: mode === "soft", onchange: () => { ctx.draft.cancel.mode = "soft"; hardConfirmed = false; ctx.refresh(); } }),
        " Soft cancel (cancel shipment): the order becomes \"Cancelled By Warehouse\"; inventory can be reassigned, SKUs substituted, the order filled another way."),
      h("label", {}, h("input", { type: "radio", name: "cancel", id: "cancel-hard", checked: mode === "hard", onchange: () => { ctx.draft.cancel.mode = "hard"; ctx.refresh(); } }),
        " Hard cancel (cancel quantity): the order is fully cancelled and the buyer refunded; nothing can fill it afterwards."),
      mode === "hard" && h("div", { class: "warning" },
        h("label", {}, h("input", { type: "checkbox", id: "hard-confirm", checked: hardConfirmed, onchange: (e) => { hardConfirmed = (e.target as HTMLInputElement).checked; } }),
          " I understand: a cancellation in ShipStation will refund the buyer and cannot be undone.")));
  },
  check: async (ctx) => ctx.draft.cancel.mode === "hard" && !hardConfirmed
    ? { step: "cancel_mode", ok: false, message: "Hard cancel refunds the buyer: tick the confirmation, or choose soft cancel.", details: [] }
    : null,
};
