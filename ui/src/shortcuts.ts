// The keyboard shortcuts (issue 18): Ctrl/Cmd+R Sync now, Ctrl/Cmd+F find an order, Ctrl/Cmd+,
// Settings, and `?` for the list of them, shown in a dialog. `shortcutOf` decides from a key press
// alone (table-tested); main.ts carries the action out.
import { h } from "./dom";

export type Action = "sync" | "search" | "settings" | "help";

/** What a key press is made of (a KeyboardEvent has these). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** The shortcut a key press means, if any. `typing`: the focus is in a text field, where `?` is a character. */
export function shortcutOf(press: KeyPress, typing: boolean): Action | null {
  if (press.altKey) return null;
  if (press.ctrlKey || press.metaKey) {
    const key = press.key.toLowerCase();
    if (key === "r") return "sync";
    if (key === "f") return "search";
    if (key === ",") return "settings";
    return null;
  }
  return press.key === "?" && !typing ? "help" : null;
}

/** Whether the focus is where keys type text (so `?` is not a shortcut there). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement)
    return true;
  return (
    target instanceof HTMLInputElement &&
    !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"].includes(target.type)
  );
}

/** The list the help shows: keys, then what they do. `mac`: ⌘ instead of Ctrl. */
export function shortcutList(mac: boolean): [string, string][] {
  const command = mac ? "⌘" : "Ctrl+";
  return [
    [`${command}R`, "Sync now"],
    [`${command}F`, "Find an order in History"],
    [`${command},`, "Settings"],
    ["?", "Show these shortcuts"],
    ["← → Home End", "Move between tabs (on a tab)"],
    ["Tab, Shift+Tab", "Move between controls and rows"],
    ["Esc", "Close this list"],
  ];
}

/** The help overlay: a modal dialog (Esc closes it), with the shortcuts in a table. */
export function shortcutsHelp(mac: boolean): { dialog: HTMLDialogElement; open: () => void } {
  const dialog = h(
    "dialog",
    { id: "shortcuts-help", "aria-labelledby": "shortcuts-title" },
    h("h2", { id: "shortcuts-title" }, "Keyboard shortcuts"),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Keys"), h("th", { scope: "col" }, "What they do"))),
      h(
        "tbody",
        {},
        ...shortcutList(mac).map(([keys, what]) => h("tr", {}, h("td", {}, h("kbd", {}, keys)), h("td", {}, what))),
      ),
    ),
    h(
      "div",
      { class: "row nav" },
      h("button", { id: "close-help", type: "button", class: "primary", onclick: () => dialog.close() }, "Close"),
    ),
  );
  return {
    dialog,
    open: () => {
      if (!dialog.open) dialog.showModal();
    },
  };
}
