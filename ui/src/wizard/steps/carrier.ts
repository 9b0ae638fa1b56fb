import { h } from "../../dom";
import type { CarrierFamily } from "../../api/types";
import { GUIDE } from "../guide";
import { accountsUnread, engineCheck, yesNo, type Step } from "../step";

const FAMILIES: CarrierFamily[] = ["ups", "fedex", "usps", "dhl"];

/** The account's carrier for a family: the same prefixes as connector::reference::family_of. */
function familyOf(code: string): CarrierFamily | null {
  const c = code.toLowerCase();
  if (c.startsWith("ups")) return "ups";
  if (c.startsWith("fedex")) return "fedex";
  if (c.startsWith("usps") || c === "stamps_com" || c === "endicia") return "usps";
  if (c.startsWith("dhl")) return "dhl";
  return null;
}

export const carrier: Step = {
  id: "carrier",
  title: GUIDE.carrier.title,
  render: (ctx) => {
    const c = ctx.draft.carrier;
    const account = ctx.accounts?.reference.carriers.find((a) => familyOf(a.code) === c.preferred);
    const services = account?.services ?? [];
    if (services.length && !services.some((s) => s.code === c.default_service)) c.default_service = services[0].code;
    return h(
      "section",
      {},
      h(
        "label",
        {},
        "Preferred carrier ",
        h(
          "select",
          {
            id: "carrier",
            onchange: (e) => {
              c.preferred = (e.target as HTMLSelectElement).value as CarrierFamily;
              c.default_service = "";
              ctx.refresh();
            },
          },
          ...FAMILIES.filter((f) => f !== "usps" || c.usps_supported).map((f) =>
            h("option", { value: f, selected: f === c.preferred }, GUIDE.carrier.options[f]),
          ),
        ),
      ),
      // An account that could not be read says nothing about its carriers: its reason, not "not connected".
      accountsUnread(ctx) ??
        (account
          ? h("p", { class: "hint" }, `Connected in ShipStation as ${account.name} (${account.code}).`)
          : ctx.accounts && h("p", { class: "error" }, "This carrier is not connected in your ShipStation account.")),
      h(
        "label",
        {},
        "Default service ",
        h(
          "select",
          {
            id: "service",
            onchange: (e) => {
              c.default_service = (e.target as HTMLSelectElement).value;
            },
          },
          ...services.map((s) => h("option", { value: s.code, selected: s.code === c.default_service }, s.name)),
        ),
      ),
      yesNo(
        "assign-default",
        GUIDE.carrier.defaultQuestion,
        c.assign_default,
        (yes) => {
          c.assign_default = yes;
          ctx.refresh();
        },
        h("span", {}, "Yes ", h("span", { class: "hint" }, GUIDE.carrier.defaultAdvice)),
      ),
      !c.assign_default &&
        h(
          "p",
          { id: "assign-warning", class: "warning" },
          "Orders without a carrier/service will be held and will never reach fulfilment until you fix them.",
        ),
      yesNo(
        "usps-supported",
        GUIDE.carrier.uspsQuestion,
        c.usps_supported,
        (yes) => {
          c.usps_supported = yes;
          if (!yes && c.preferred === "usps") c.preferred = "ups";
          ctx.refresh();
        },
        "Yes",
        GUIDE.carrier.uspsNo,
      ),
    );
  },
  check: (ctx) => engineCheck(ctx, "carrier"),
};
