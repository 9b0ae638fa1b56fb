// Settings: the schedule (interval, pause, start on login), then every wizard step on its own:
// open a step, change it, Save. Each step is checked live with the stored credentials — no key is
// typed again; step 2's Change Credentials replaces them — and saved alone, without walking to
// Finish. The demo is never offered here.
import { h, errorText } from "../dom";
import { autostart, finishWizard, setAutostart, setSchedule, setupState } from "../api/commands";
import type { Settings } from "../api/types";
import { STEPS } from "../wizard/steps";
import { ensureAccounts, type AccountsRead, type Step, type WizardContext } from "../wizard/step";
import { tablist } from "../tabs";

/**
 * What Save says: the step, and how many held orders the new answers release — those the next run
 * sends to ShipStation (null: the change releases some, but they could not be counted now).
 */
export function savedText(title: string, released: number | null): string {
  const step = title.replace(/^\d+\. /, "");
  if (released === null) {
    return `Saved: ${step} — orders held for a setting are planned again on the next run (they could not be counted now).`;
  }
  if (released === 0) return `Saved: ${step}`;
  const orders = released === 1 ? "1 order held for a setting goes" : `${released} orders held for a setting go`;
  return `Saved: ${step} — ${orders} to ShipStation on the next run.`;
}

/** The steps Settings offers: every wizard step but the review. */
const SETTINGS_STEPS: Step[] = STEPS.filter((s) => s.id !== "review");

export async function renderSettings(root: HTMLElement, openStep = SETTINGS_STEPS[0].id): Promise<void> {
  const setup = await setupState();
  const saved: Settings = setup.settings ?? setup.draft;
  const status = h("p", { id: "settings-status" });
  const interval = h("input", { id: "interval", type: "number", min: 1, value: saved.schedule.interval_minutes });
  const pause = h("input", { id: "pause", type: "checkbox", checked: saved.schedule.paused });
  const login = h("input", { id: "autostart", type: "checkbox" });
  autostart()
    .then((on) => {
      login.checked = on;
    })
    .catch(() => undefined);
  const stepHost = h("div", { id: "settings-step", role: "tabpanel" });
  const tabId = (step: Step) => `settings-step-${step.id}`;
  const first = SETTINGS_STEPS.find((s) => s.id === openStep) ?? SETTINGS_STEPS[0];
  const nav = tablist(
    "Setup steps",
    SETTINGS_STEPS.map((step) => ({ id: tabId(step), label: step.title })),
    tabId(first),
    "settings-step",
    (id) => void open(SETTINGS_STEPS.find((step) => tabId(step) === id) ?? first),
  );
  root.replaceChildren(
    h(
      "section",
      { id: "settings" },
      h("h2", {}, "Schedule"),
      h("label", {}, "Sync every ", interval, " minutes"),
      h("label", {}, pause, " Pause the schedule (Sync now still works)"),
      h("label", {}, login, " Start on login"),
      h(
        "button",
        {
          id: "save-schedule",
          type: "button",
          onclick: async () => {
            try {
              saved.schedule.interval_minutes = Math.max(1, Number(interval.value) || 15);
              saved.schedule.paused = pause.checked;
              await setSchedule(saved.schedule);
              await setAutostart(login.checked);
              status.textContent = `Saved: every ${saved.schedule.interval_minutes} min${saved.schedule.paused ? ", paused" : ""}.`;
            } catch (e) {
              status.textContent = errorText(e);
            }
          },
        },
        "Apply",
      ),
      status,
      h("h2", {}, "Setup"),
      h("p", {}, "Open a step, change it and Save it: it is checked live with the credentials already stored."),
      nav.element,
      stepHost,
    ),
  );

  // Read once for every step; a failure's reason stays in `read` for the steps that list the accounts.
  const read: AccountsRead = { draft: saved, accounts: null, accountsError: null };
  const reading = ensureAccounts(read).catch(() => undefined);
  const open = async (step: Step) => {
    nav.select(tabId(step));
    stepHost.setAttribute("aria-labelledby", tabId(step));
    await reading;
    const ctx: WizardContext = {
      draft: structuredClone(saved),
      saved,
      accounts: read.accounts,
      accountsError: read.accountsError,
      refresh: () => show(),
    };
    const body = h("div", { id: "step-body", "data-step": step.id });
    const error = h("div", { id: "step-error", class: "error", role: "alert" });
    const result = h("p", { id: "save-status", role: "status" });
    const save = h(
      "button",
      {
        id: "save-step",
        class: "primary",
        type: "button",
        onclick: async () => {
          save.setAttribute("disabled", "");
          error.replaceChildren(h("p", { class: "hint" }, "Checking…"));
          result.textContent = "";
          try {
            const failed = step.check ? await step.check(ctx) : null;
            if (failed) {
              error.replaceChildren(
                h("p", {}, failed.message),
                h("ul", {}, ...failed.details.map((d) => h("li", {}, d))),
              );
              return;
            }
            error.replaceChildren();
            // Only this step's answers change: the schedule may have been applied meanwhile.
            ctx.draft.schedule = structuredClone(saved.schedule);
            const done = await finishWizard(ctx.draft);
            Object.assign(saved, structuredClone(ctx.draft));
            ctx.saved = saved;
            result.textContent = savedText(step.title, done.released);
            show();
          } catch (e) {
            error.replaceChildren(h("p", {}, errorText(e)));
          } finally {
            save.removeAttribute("disabled");
          }
        },
      },
      "Save",
    );
    const show = () => body.replaceChildren(step.render(ctx));
    show();
    stepHost.replaceChildren(h("h3", {}, step.title), body, error, h("div", { class: "row" }, save), result);
  };
  await open(first);
}
