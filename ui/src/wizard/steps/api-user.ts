import { h, errorText } from "../../dom";
import { checkQuipt, quiptAuthorizeFinish, quiptAuthorizeStart } from "../../api/commands";
import type { AuthorizationStarted, Settings } from "../../api/types";
import { GUIDE } from "../guide";
import type { Step } from "../step";

/** Where to approve: the page opened in the browser, with its address for when none opened. */
function approveHere(started: AuthorizationStarted, then: string): HTMLElement {
  return h(
    "span",
    {},
    started.browser_opened
      ? "Quipt opened in your browser. "
      : "No browser could be opened: open this address in one. ",
    h("code", { id: "authorize-url", class: "url" }, started.url),
    ` ${then}`,
  );
}

export const apiUser: Step = {
  id: "quipt_api_user",
  title: GUIDE.apiUser.title,
  render: (ctx) => {
    const status = h("p", { id: "authorize-status", class: "hint", role: "status" });
    const verifier = h("input", {
      id: "quipt-verifier",
      placeholder: "verifier shown by Quipt",
      autocomplete: "off",
      "aria-label": "Verifier shown by Quipt",
    });
    const report = (r: { ok: boolean; message: string }) => {
      status.textContent = r.ok ? `Authorized: ${r.message}` : r.message;
    };
    const draft = (): Settings => ctx.draft;

    const loopback = async () => {
      try {
        const started = await quiptAuthorizeStart(draft(), false);
        status.replaceChildren(
          approveHere(started, "Log in as the API user and press Start; this app is waiting for Quipt…"),
        );
        report(await quiptAuthorizeFinish(draft(), null));
      } catch (e) {
        status.textContent = errorText(e);
      }
    };
    const outOfBand = async () => {
      try {
        const started = await quiptAuthorizeStart(draft(), true);
        status.replaceChildren(
          approveHere(started, "Log in as the API user, press Start, then paste the verifier Quipt shows below."),
        );
      } catch (e) {
        status.textContent = errorText(e);
      }
    };
    const useVerifier = async () => {
      try {
        const r = await quiptAuthorizeFinish(draft(), verifier.value);
        verifier.value = "";
        report(r);
      } catch (e) {
        status.textContent = errorText(e);
      }
    };

    return h(
      "section",
      {},
      h("p", {}, GUIDE.apiUser.create, " ", GUIDE.apiUser.email),
      h("p", {}, GUIDE.apiUser.authorize, " ", GUIDE.apiUser.private),
      h(
        "label",
        {},
        "API user's e-mail ",
        h("input", {
          id: "quipt-email",
          type: "email",
          value: ctx.draft.quipt.api_user_email,
          oninput: (e) => {
            ctx.draft.quipt.api_user_email = (e.target as HTMLInputElement).value;
          },
        }),
      ),
      h(
        "div",
        { class: "row" },
        h("button", { id: "quipt-authorize", type: "button", onclick: () => void loopback() }, "Authorize in browser"),
      ),
      h(
        "details",
        { id: "oob" },
        h("summary", {}, "The browser can't reach this app? Authorize with a verifier instead"),
        h("p", { class: "hint" }, "Quipt then shows a verifier after you approve, instead of returning to this app."),
        h(
          "div",
          { class: "row" },
          h(
            "button",
            { id: "quipt-authorize-oob", type: "button", onclick: () => void outOfBand() },
            "Authorize with a verifier",
          ),
          verifier,
          h("button", { id: "use-verifier", type: "button", onclick: () => void useVerifier() }, "Use verifier"),
        ),
      ),
      status,
    );
  },
  check: async (ctx) => {
    const r = await checkQuipt(ctx.draft);
    return r.ok ? null : r;
  },
};
