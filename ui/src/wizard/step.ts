// What every wizard step provides. The checks themselves run in Rust (connector::checks).
import type { Accounts, CheckResult, Settings } from "../api/types";
import { checkAnswers, loadAccounts } from "../api/commands";
import { errorText, h, type Child } from "../dom";

export interface WizardContext {
  draft: Settings;
  /** The settings saved before (Settings), to warn about what a change does; null in the wizard. */
  saved: Settings | null;
  accounts: Accounts | null;
  /** Why the accounts could not be read (the command's error, as the wizard shows it); null once read. */
  accountsError: string | null;
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

/** What reading the accounts needs and leaves: the answers to read them with, then the lists or why not. */
export type AccountsRead = Pick<WizardContext, "draft" | "accounts" | "accountsError">;

/**
 * Reads both accounts into `ctx` (again with `force`). A failure keeps its reason in
 * `ctx.accountsError`, so the steps that list the accounts say why they cannot (`accountsUnread`)
 * instead of showing empty lists, and is thrown on: the wizard stays where it is and shows it.
 */
export async function ensureAccounts(ctx: AccountsRead, force = false): Promise<void> {
  if (ctx.accounts && !force) return;
  try {
    ctx.accounts = await loadAccounts(ctx.draft);
    ctx.accountsError = null;
  } catch (e) {
    ctx.accountsError = errorText(e);
    throw e;
  }
}

/**
 * Why a step's lists from the accounts are missing or old: the last read's error, or null when it
 * succeeded. Steps 3, 5 and 7 show it where the lists would be.
 */
export function accountsUnread(ctx: AccountsRead): HTMLElement | null {
  if (ctx.accountsError === null) return null;
  return h("p", { id: "accounts-error", class: "error" }, `Could not read your accounts: ${ctx.accountsError}`);
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
