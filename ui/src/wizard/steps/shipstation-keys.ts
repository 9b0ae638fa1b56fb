import { h } from "../../dom";
import { checkShipstationKeys } from "../../api/commands";
import { ensureAccounts, type Step } from "../step";

let key = "";
let secret = "";

export const shipstationKeys: Step = {
  id: "shipstation_keys",
  title: "2. ShipStation API keys",
  render: () => h("section", {},
    h("p", {}, "In ShipStation open Account → API Settings and copy the ", h("b", {}, "API Key"), " and the ", h("b", {}, "API Secret"),
      ". The connector uses ShipStation's v1 API, which needs both; a single v2 key will not work. Both are kept in your system keyring."),
    h("label", {}, "API Key ", h("input", { id: "ss-key", autocomplete: "off", value: key, oninput: (e) => { key = (e.target as HTMLInputElement).value; } })),
    h("label", {}, "API Secret ", h("input", { id: "ss-secret", type: "password", autocomplete: "off", value: secret, oninput: (e) => { secret = (e.target as HTMLInputElement).value; } }))),
  check: async (ctx) => {
    const r = await checkShipstationKeys(ctx.draft, key, secret);
    if (!r.ok) return r;
    await ensureAccounts(ctx, true);
    return null;
  },
};
