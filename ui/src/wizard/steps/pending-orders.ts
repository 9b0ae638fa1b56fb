import { h } from "../../dom";
import { GUIDE } from "../guide";
import { yesNo, type Step } from "../step";

export const pendingOrders: Step = {
  id: "pending_orders",
  title: GUIDE.pending.title,
  render: (ctx) =>
    h(
      "section",
      {},
      yesNo(
        "push-validating",
        GUIDE.pending.question,
        ctx.draft.orders.push_validating,
        (yes) => {
          ctx.draft.orders.push_validating = yes;
        },
        GUIDE.pending.yes,
        GUIDE.pending.no,
      ),
    ),
};
