import { h, errorText } from "../../dom";
import { checkQuipt, quiptAuthorize, quiptPasteVerifier } from "../../api/commands";
import type { Step } from "../step";

export const apiUser: Step = {
  id: "quipt_api_user",
  title: "1. Quipt API user",
  render: (ctx) => {
    const status = h("p", { id: "authorize-status", class: "hint" });
    const verifier = h("input", { id: "quipt-verifier", placeholder: "verifier shown by Quipt" });
    return h("section", {},
      h("p", {}, "In Quipt, create a dedicated user for the connector, named after your company followed by \"API\" (for example \"Acme API\"), with the role ",
        h("b", {}, "company API user"), ". Give it its own e-mail address: it must be unique and must not be anyone's login e-mail."),
      h("p", {}, "Then authorize the connector for that user. The button opens Quipt in your browser: log in ",
        h("b", {}, "as the API user"), " (not as yourself), open Applications → Authorize → Review Permissions and press Start. The app never sees the password; the access token is kept in your system keyring."),
      h("label", {}, "API user's e-mail ",
        h("input", { id: "quipt-email", type: "email", value: ctx.draft.quipt.api_user_email,
          oninput: (e) => { ctx.draft.quipt.api_user_email = (e.target as HTMLInputElement).value; } })),
      h("div", { class: "row" },
        h("button", { id: "quipt-authorize", type: "button", onclick: async () => {
          status.textContent = "Waiting for Quipt… approve the connector in the browser.";
          try {
            const r = await quiptAuthorize(ctx.draft);
            status.textContent = r.ok ? `Authorized: ${r.message}` : r.message;
          } catch (e) { status.textContent = errorText(e); }
        } }, "Authorize in browser")),
      h("details", {}, h("summary", {}, "The browser cannot reach the app? Paste the verifier instead"),
        h("div", { class: "row" }, verifier,
          h("button", { type: "button", onclick: () => quiptPasteVerifier(verifier.value).catch((e) => { status.textContent = errorText(e); }) }, "Use verifier"))),
      status);
  },
  check: async (ctx) => {
    const r = await checkQuipt(ctx.draft);
    return r.ok ? null : r;
  },
};
