import { h } from "../../dom";
import type { CarrierFamily } from "../../api/types";
import { engineCheck, type Step } from "../step";

const FAMILIES: [CarrierFamily, string][] = [["ups", "UPS"], ["fedex", "FedEx"], ["usps", "USPS"], ["dhl", "DHL"]];

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
  title: "5. Preferred carrier",
  render: (ctx) => {
    const c = ctx.draft.carrier;
    const account = ctx.accounts?.reference.carriers.find((a) => familyOf(a.code) === c.preferred);
    const services = account?.services ?? [];
    if (services.length && !services.some((s) => s.code === c.default_service)) c.default_service = services[0].code;
    return h("section", {},
      h("p", {}, "The preferred carrier is used for orders that name none, and in place of USPS if you do not ship USPS."),
      h("label", {}, "Preferred carrier ",
        h("select", { id: "carrier", onchange: (e) => { c.preferred = (e.target as HTMLSelectElement).value as CarrierFamily; c.default_service = ""; ctx.refresh(); } },
          ...FAMILIES.filter(([f]) => f !== "usps" || c.usps_supported).map(([f, label]) => h("option", { value: f, selected: f === c.preferred }, label)))),
      account ? h("p", { class: "hint" }, `Connected in ShipStation as ${account.name} (${account.code}).`)
        : h("p", { class: "error" }, "This carrier is not connected in your ShipStation account."),
      h("label", {}, "Default service ",
        h("select", { id: "service", onchange: (e) => { c.default_service = (e.target as HTMLSelectElement).value; } },
          ...services.map((s) => h("option", { value: s.code, selected: s.code === c.default_service }, s.name)))),
      h("label", {}, h("input", { type: "checkbox", id: "assign-default", checked: c.assign_default,
        onchange: (e) => { c.assign_default = (e.target as HTMLInputElement).checked; ctx.refresh(); } }),
        " Assign the default carrier to orders that arrive without a carrier/service (recommended)"),
      !c.assign_default && h("p", { id: "assign-warning", class: "warning" },
        "Warning: orders without a carrier/service will be held and will never reach fulfilment until you fix them."),
      h("label", {}, h("input", { type: "checkbox", id: "usps-supported", checked: c.usps_supported,
        onchange: (e) => { c.usps_supported = (e.target as HTMLInputElement).checked; if (!c.usps_supported && c.preferred === "usps") c.preferred = "ups"; ctx.refresh(); } }),
        " We support USPS (if not, orders asking for USPS get the preferred carrier and its default service, and the change is recorded)"));
  },
  check: (ctx) => engineCheck(ctx, "carrier"),
};
