import { h } from "../../dom";
import { engineCheck, ensureAccounts, type Step } from "../step";

export const stores: Step = {
  id: "stores",
  title: "3. All orders to a single store?",
  render: (ctx) => {
    const s = ctx.draft.stores;
    const active = (ctx.accounts?.reference.stores ?? []).filter((st) => st.active);
    const channels = ctx.accounts?.channels ?? [];
    const storeSelect = (id: string, value: number | null | undefined, onchange: (v: number | null) => void) =>
      h("select", { id, onchange: (e) => { const v = (e.target as HTMLSelectElement).value; onchange(v ? Number(v) : null); } },
        h("option", { value: "" }, "— choose a store —"),
        ...active.map((st) => h("option", { value: st.id, selected: st.id === value }, `${st.name} (${st.id})`)));
    const mode = h("div", { class: "row" },
      h("label", {}, h("input", { type: "radio", name: "single", id: "single-yes", checked: s.single_store, onchange: () => { s.single_store = true; ctx.refresh(); } }), " Yes, one store"),
      h("label", {}, h("input", { type: "radio", name: "single", id: "single-no", checked: !s.single_store, onchange: () => { s.single_store = false; ctx.refresh(); } }), " No, a store per channel"));
    const body = s.single_store
      ? h("div", {},
          h("p", {}, "Every order goes to this store. Each channel's store name is sent as the order's source, so orders stay distinguishable inside the one store."),
          h("label", {}, "Store ", storeSelect("store-select", s.default_store_id, (v) => { s.default_store_id = v; })),
          ...channels.map((c) => h("label", {}, `${c.name} store name `,
            h("input", { id: `channel-name-${c.code}`, value: s.channel_names[c.name] ?? c.name,
              oninput: (e) => { s.channel_names[c.name] = (e.target as HTMLInputElement).value; } }))))
      : h("div", {},
          h("p", {}, "Choose a store for each Quipt channel. Orders of a channel without a store are held, never guessed. ShipStation has no API to create stores: create a manual store in ShipStation (Settings → Selling Channels → Store Setup → Connect a Store or Marketplace → Manual Orders), then refresh the list."),
          ...channels.map((c) => h("label", {}, `${c.name} `, storeSelect(`channel-store-${c.code}`, s.channel_store_ids[c.name], (v) => {
            if (v === null) delete s.channel_store_ids[c.name]; else s.channel_store_ids[c.name] = v;
          }))));
    return h("section", {}, mode, body,
      h("button", { id: "refresh-stores", type: "button", onclick: async () => { await ensureAccounts(ctx, true); ctx.refresh(); } }, "Refresh store list"));
  },
  check: async (ctx) => {
    const s = ctx.draft.stores;
    if (s.single_store) {
      for (const c of ctx.accounts?.channels ?? []) s.channel_names[c.name] ??= c.name;
    }
    return engineCheck(ctx, "stores");
  },
};
