import { h } from "../../dom";
import { GUIDE } from "../guide";
import { accountsUnread, engineCheck, type Step } from "../step";

export const warehouse: Step = {
  id: "warehouses",
  title: GUIDE.warehouses.title,
  render: (ctx) => {
    const codes = ctx.draft.warehouses.codes;
    const list = ctx.accounts?.warehouses ?? [];
    return h(
      "section",
      {},
      h("p", {}, h("b", {}, GUIDE.warehouses.rule), " ", GUIDE.warehouses.where),
      accountsUnread(ctx),
      h(
        "table",
        { id: "warehouses" },
        h(
          "thead",
          {},
          h("tr", {}, ...["Sync", "Quipt warehouse", "Code", "ShipStation"].map((c) => h("th", { scope: "col" }, c))),
        ),
        h(
          "tbody",
          {},
          ...list.map((w) =>
            h(
              "tr",
              { class: w.shipstation_name ? "matched" : "unmatched" },
              h(
                "td",
                {},
                h("input", {
                  type: "checkbox",
                  id: `wh-${w.code}`,
                  "aria-label": `Sync ${w.name} (${w.code})`,
                  checked: codes.includes(w.code),
                  onchange: (e) => {
                    const on = (e.target as HTMLInputElement).checked;
                    ctx.draft.warehouses.codes = on
                      ? [...new Set([...codes, w.code])]
                      : codes.filter((c) => c !== w.code);
                    ctx.refresh();
                  },
                }),
              ),
              h("td", {}, w.name),
              h("td", {}, w.code),
              h("td", {}, w.shipstation_name ? `matched: ${w.shipstation_name}` : "unmatched"),
            ),
          ),
        ),
      ),
    );
  },
  check: (ctx) => engineCheck(ctx, "warehouses"),
};
