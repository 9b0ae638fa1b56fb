// What every wizard step provides. The checks themselves run in Rust (connector::checks).
import type { Accounts, CheckResult, Settings } from "../api/types";
import { checkAnswers, loadAccounts } from "../api/commands";
import { h, type Child } from "../dom";

export interface WizardContext {
  draft: Settings;
  /** The settings saved before (Settings), to warn about what a change does; null in the wizard. */
  saved: Settings | null;
  accounts: Accounts | null;
  /** Re-renders the current step (after an answer changes what it shows). */
  refresh: () => void;
}

export interface Step {
  id: string;
  title: string;
  render: (ctx: WizardContext) => HTMLElement;
  /** The live check before going on: null when the user may continue, else the failed result. */
  check?: (ctx: WizardContext) => Promise<CheckResult | null>;
}

/** Runs the engine's checks on the draft and returns the one for `step` if it failed. */
export async function engineCheck(ctx: WizardContext, step: string): Promise<CheckResult | null> {
  const results = await checkAnswers(ctx.draft);
  const mine = results.find((r) => r.step === step);
  if (mine && !mine.ok) return mine;
  return null;
}

export async function ensureAccounts(ctx: WizardContext, force = false): Promise<void> {
  if (!ctx.accounts || force) ctx.accounts = await loadAccounts(ctx.draft);
}

/** One of the guide's Yes/No questions: radios `#<id>-yes` and `#<id>-no`, each with its meaning. */
export function yesNo(
  id: string,
  question: string,
  value: boolean,
  onChange: (yes: boolean) => void,
  yes: Child = "Yes",
  no: Child = "No",
): HTMLElement {
  const option = (answer: boolean, label: Child) =>
    h(
      "label",
      {},
      h("input", {
        type: "radio",
        name: id,
        id: `${id}-${answer ? "yes" : "no"}`,
        checked: value === answer,
        onchange: () => onChange(answer),
      }),
      " ",
      label,
    );
  return h("fieldset", { id, class: "question" }, h("legend", {}, question), option(true, yes), option(false, no));
}
