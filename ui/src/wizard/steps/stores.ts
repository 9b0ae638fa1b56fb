import { h } from "../../dom";
import type { Settings } from "../../api/types";
import { GUIDE } from "../guide";
import { accountsUnread, engineCheck, ensureAccounts, yesNo, type Step } from "../step";

/** Whether an order's store would change: ShipStation keeps the store an order was created in. */
function storesChanged(saved: Settings, draft: Settings): boolean {
  const a = saved.stores;
  const b = draft.stores;
  return (
    a.single_store !== b.single_store ||
    (b.single_store && a.default_store_id !== b.default_store_id) ||
    (!b.single_store && JSON.stringify(a.channel_store_ids) !== JSON.stringify(b.channel_store_ids))
  );
}

export const stores: Step = {
  id: "stores",
  title: GUIDE.stores.title,
  render: (ctx) => {
    const s = ctx.draft.stores;
    const active = (ctx.accounts?.reference.stores ?? []).filter((st) => st.active);
    const channels = ctx.accounts?.channels ?? [];
    const storeSelect = (id: string, value: number | null | undefined, onchange: (v: number | null) => void) =>
      h(
        "select",
        {
          id,
          onchange: (e) => {
            const v = (e.target as HTMLSelectElement).value;
            onchange(v ? Number(v) : null);
          },
        },
        h("option", { value: "" }, "— choose a store —"),
        ...active.map((st) => h("option", { value: st.id, selected: st.id === value }, `${st.name} (${st.id})`)),
      );
    const typedId = h("input", {
      id: "store-id",
      type: "number",
      min: 1,
      value: s.default_store_id ?? "",
      oninput: (e) => {
        const v = (e.target as HTMLInputElement).value;
        s.default_store_id = v ? Number(v) : null;
      },
    });
    const body = s.single_store
      ? h(
          "div",
          {},
          h(
            "div",
            { class: "row" },
            h("label", { for: "store-id" }, "Default Store ID"),
            typedId,
            h("label", { for: "store-select" }, "or pick it"),
            storeSelect("store-select", s.default_store_id, (v) => {
              s.default_store_id = v;
              ctx.refresh();
            }),
          ),
          h("p", { class: "hint" }, "A typed Store ID is checked against your ShipStation account."),
          ...channels.map((c) =>
            h(
              "label",
              {},
              `${c.name} store NAME `,
              h("input", {
                id: `channel-name-${c.code}`,
                value: s.channel_names[c.name] ?? c.name,
                oninput: (e) => {
                  s.channel_names[c.name] = (e.target as HTMLInputElement).value;
                },
              }),
            ),
          ),
        )
      : h(
          "div",
          {},
          h("p", {}, GUIDE.stores.noStore),
          ...channels.map((c) =>
            h(
              "label",
              {},
              `${c.name} `,
              storeSelect(`channel-store-${c.code}`, s.channel_store_ids[c.name], (v) => {
                if (v === null) delete s.channel_store_ids[c.name];
                else s.channel_store_ids[c.name] = v;
                ctx.refresh();
              }),
            ),
          ),
        );
    return h(
      "section",
      {},
      yesNo(
        "single",
        GUIDE.stores.title,
        s.single_store,
        (yes) => {
          s.single_store = yes;
          ctx.refresh();
        },
        GUIDE.stores.yes,
        GUIDE.stores.no,
      ),
      accountsUnread(ctx),
      body,
      ctx.saved && storesChanged(ctx.saved, ctx.draft)
        ? h("p", { id: "store-mode-warning", class: "warning" }, GUIDE.stores.modeChanged)
        : "",
      h(
        "button",
        {
          id: "refresh-stores",
          type: "button",
          onclick: async () => {
            // A failed read keeps the list it had; the step shows why (accountsUnread).
            await ensureAccounts(ctx, true).catch(() => undefined);
            ctx.refresh();
          },
        },
        "Refresh store list",
      ),
    );
  },
  check: async (ctx) => {
    const s = ctx.draft.stores;
    if (s.single_store) {
      for (const c of ctx.accounts?.channels ?? []) s.channel_names[c.name] ??= c.name;
    }
    return engineCheck(ctx, "stores");
  },
};
