import { h } from "../../dom";
import { checkShipstationKeys, storedShipstationKey } from "../../api/commands";
import { GUIDE } from "../guide";
import { ensureAccounts, type Step } from "../step";

// What the user typed, until the check: then forgotten (the keys live in the keyring only).
let key = "";
let secret = "";

export const shipstationKeys: Step = {
  id: "shipstation_keys",
  title: GUIDE.keys.title,
  render: () => {
    const fields = h(
      "div",
      { id: "ss-fields" },
      h(
        "label",
        {},
        "API Key ",
        h("input", {
          id: "ss-key",
          autocomplete: "off",
          value: key,
          oninput: (e) => {
            key = (e.target as HTMLInputElement).value;
          },
        }),
      ),
      h(
        "label",
        {},
        "API Secret ",
        h("input", {
          id: "ss-secret",
          type: "password",
          autocomplete: "off",
          value: secret,
          oninput: (e) => {
            secret = (e.target as HTMLInputElement).value;
          },
        }),
      ),
    );
    const stored = h("div", { id: "ss-stored" });
    // With a key stored, Next checks the stored pair; Change Credentials replaces it (the guide's control).
    storedShipstationKey()
      .then((masked) => {
        if (!masked || key || secret) return;
        fields.hidden = true;
        stored.replaceChildren(
          h("p", {}, "Stored API Key ", h("code", { id: "ss-stored-key" }, masked), " and its secret."),
          h(
            "button",
            {
              id: "change-credentials",
              type: "button",
              onclick: () => {
                fields.hidden = false;
                stored.replaceChildren();
              },
            },
            GUIDE.keys.change,
          ),
        );
      })
      .catch(() => undefined);
    return h("section", {}, h("p", {}, GUIDE.keys.where, " ", GUIDE.keys.v1), stored, fields);
  },
  check: async (ctx) => {
    const typed = [key, secret];
    key = "";
    secret = "";
    for (const id of ["ss-key", "ss-secret"]) {
      const input = document.getElementById(id) as HTMLInputElement | null;
      if (input) input.value = "";
    }
    const r = await checkShipstationKeys(ctx.draft, typed[0], typed[1]);
    if (!r.ok) return r;
    await ensureAccounts(ctx, true);
    return null;
  },
};
