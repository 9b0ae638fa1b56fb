import { h } from "../../dom";
import type { Step } from "../step";

export const pendingOrders: Step = {
  id: "pending_orders",
  title: "4. Pending orders?",
  render: (ctx) => h("section", {},
    h("p", {}, "Quipt keeps new orders in Pending (validating) until it clears them. Send them to ShipStation already? They then arrive as \"awaiting payment\" (not shippable) and become \"awaiting shipment\" when Quipt clears them. If not, they are sent once Quipt marks them ready to ship."),
    h("label", {}, h("input", { type: "checkbox", id: "push-validating", checked: ctx.draft.orders.push_validating,
      onchange: (e) => { ctx.draft.orders.push_validating = (e.target as HTMLInputElement).checked; } }), " Send pending orders as awaiting payment")),
};
