import { h } from "../../dom";
import { GUIDE } from "../guide";
import type { Step } from "../step";

let hardConfirmed = false;

export const cancelMode: Step = {
  id: "cancel_mode",
  title: GUIDE.cancel.title,
  render: (ctx) => {
    const mode = ctx.draft.cancel.mode;
    return h(
      "section",
      {},
      h("p", {}, GUIDE.cancel.question),
      h(
        "label",
        {},
        h("input", {
          type: "radio",
          name: "cancel",
          id: "cancel-soft",
          checked: mode === "soft",
          onchange: () => {
            ctx.draft.cancel.mode = "soft";
            hardConfirmed = false;
            ctx.refresh();
          },
        }),
        " ",
        GUIDE.cancel.soft,
      ),
      h(
        "label",
        {},
        h("input", {
          type: "radio",
          name: "cancel",
          id: "cancel-hard",
          checked: mode === "hard",
          onchange: () => {
            ctx.draft.cancel.mode = "hard";
            ctx.refresh();
          },
        }),
        " ",
        GUIDE.cancel.hard,
      ),
      mode === "hard" &&
        ctx.saved?.cancel.mode !== "hard" &&
        h(
          "div",
          { class: "warning" },
          h(
            "label",
            {},
            h("input", {
              type: "checkbox",
              id: "hard-confirm",
              checked: hardConfirmed,
              onchange: (e) => {
                hardConfirmed = (e.target as HTMLInputElement).checked;
              },
            }),
            " ",
            GUIDE.cancel.confirm,
          ),
        ),
    );
  },
  // Choosing hard cancel needs the confirmation, in the wizard and in Settings alike; keeping a
  // hard cancel that was confirmed before does not.
  check: async (ctx) =>
    ctx.draft.cancel.mode === "hard" && ctx.saved?.cancel.mode !== "hard" && !hardConfirmed
      ? {
          step: "cancel_mode",
          ok: false,
          message: "Hard cancel refunds the buyer: tick the confirmation, or choose soft cancel.",
          details: [],
        }
      : null,
};
