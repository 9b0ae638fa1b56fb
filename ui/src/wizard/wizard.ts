// The setup wizard: the guide's eight steps, each checked live before Next, then Finish.
import { h, errorText } from "../dom";
import { finishWizard } from "../api/commands";
import type { CheckResult, Settings } from "../api/types";
import { STEPS } from "./steps";
import { ensureAccounts, type WizardContext } from "./step";

export interface WizardOptions {
  /** Offers "Try it with demo data" on a welcome screen; `null` opens step 1 at once (Settings,
   *  an existing setup, or the real accounts after leaving the demo). */
  onDemo: (() => Promise<void>) | null;
}

export function renderWizard(root: HTMLElement, draft: Settings, onDone: () => void, options: WizardOptions): void {
  const ctx: WizardContext = { draft, saved: null, accounts: null, accountsError: null, refresh: () => show() };
  let index = options.onDemo ? -1 : 0;
  const body = h("div", { id: "step-body" });
  const error = h("div", { id: "step-error", class: "error", role: "alert" });
  const title = h("h2", { id: "step-title" });
  const first = index;
  const back = h(
    "button",
    {
      id: "back",
      type: "button",
      onclick: () => {
        index = Math.max(first, index - 1);
        show();
      },
    },
    "Back",
  );
  const next = h("button", { id: "next", type: "button", class: "primary", onclick: () => void go() }, "Next");

  const showError = (r: CheckResult | string) => {
    error.replaceChildren(
      ...(typeof r === "string"
        ? [h("p", {}, r)]
        : [h("p", {}, r.message), h("ul", {}, ...r.details.map((d) => h("li", {}, d)))]),
    );
  };

  async function go(): Promise<void> {
    const step = STEPS[index];
    next.setAttribute("disabled", "");
    error.replaceChildren(h("p", { class: "hint" }, "Checking…"));
    try {
      const failed = step.check ? await step.check(ctx) : null;
      if (failed) {
        showError(failed);
        return;
      }
      if (index === STEPS.length - 1) {
        await finishWizard(ctx.draft);
        onDone();
        return;
      }
      if (index >= 1) await ensureAccounts(ctx);
      index += 1;
      show();
    } catch (e) {
      showError(errorText(e));
    } finally {
      next.removeAttribute("disabled");
    }
  }

  function show(): void {
    error.replaceChildren();
    if (index < 0) {
      title.textContent = "Set up the connector";
      body.replaceChildren(
        h(
          "p",
          {},
          "This wizard follows Quipt's ShipStation Connector guide: eight short steps, each checked live against your accounts.",
        ),
        h(
          "div",
          { class: "row" },
          h(
            "button",
            {
              id: "start",
              class: "primary",
              type: "button",
              onclick: () => {
                index = 0;
                show();
              },
            },
            "Set up my accounts",
          ),
          h(
            "button",
            {
              id: "demo",
              type: "button",
              onclick: async () => {
                try {
                  await options.onDemo?.();
                } catch (e) {
                  showError(errorText(e));
                }
              },
            },
            "Try it with demo data",
          ),
        ),
      );
      back.hidden = true;
      next.hidden = true;
      return;
    }
    const step = STEPS[index];
    title.textContent = step.title;
    body.replaceChildren(step.render(ctx));
    body.dataset.step = step.id;
    back.hidden = index === first;
    next.hidden = false;
    next.textContent = index === STEPS.length - 1 ? "Finish" : "Next";
    next.id = index === STEPS.length - 1 ? "finish" : "next";
  }

  root.replaceChildren(
    h(
      "section",
      { id: "wizard", "aria-labelledby": "step-title" },
      title,
      body,
      error,
      h("div", { class: "row nav" }, back, next),
    ),
  );
  show();
}
