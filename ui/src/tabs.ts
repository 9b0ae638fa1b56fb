// A tablist as WAI-ARIA's tabs pattern has it: one tab in the Tab order (the selected one), the
// arrow keys move between tabs and select the one reached, Home and End go to the ends. The view
// tabs and Settings' steps are both made here.
import { h } from "./dom";

/** Where a key moves the focus in a row of `count` tabs from `index`; null for any other key. */
export function tabAfterKey(key: string, index: number, count: number): number | null {
  switch (key) {
    case "ArrowRight":
    case "ArrowDown":
      return (index + 1) % count;
    case "ArrowLeft":
    case "ArrowUp":
      return (index - 1 + count) % count;
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return null;
  }
}

export interface Tab {
  /** The tab's element id (`tab-dashboard`, `settings-step-stores`). */
  id: string;
  label: string;
}

/** The tablist's element and a way to mark another tab selected without rebuilding it. */
export interface Tablist {
  element: HTMLElement;
  select: (id: string) => void;
}

/**
 * A tablist labelled `label` whose tabs control the panel `panelId`; `onSelect` shows a tab's
 * view (called on a click and on an arrow key).
 */
export function tablist(
  label: string,
  tabs: Tab[],
  selected: string,
  panelId: string,
  onSelect: (id: string) => void,
): Tablist {
  const buttons = tabs.map((tab) =>
    h(
      "button",
      {
        id: tab.id,
        type: "button",
        role: "tab",
        class: "tab",
        "aria-controls": panelId,
        onclick: () => onSelect(tab.id),
      },
      tab.label,
    ),
  );
  const select = (id: string) => {
    for (const b of buttons) {
      const on = b.id === id;
      b.setAttribute("aria-selected", String(on));
      b.tabIndex = on ? 0 : -1;
      b.classList.toggle("active", on);
    }
  };
  const element = h("div", {
    role: "tablist",
    "aria-label": label,
    class: "tablist",
    onkeydown: (e) => {
      const event = e as KeyboardEvent;
      const index = buttons.findIndex((b) => b === document.activeElement);
      const next = index < 0 ? null : tabAfterKey(event.key, index, buttons.length);
      if (next === null) return;
      event.preventDefault();
      buttons[next].focus();
      onSelect(buttons[next].id);
    },
  });
  element.append(...buttons);
  select(selected);
  return { element, select };
}
