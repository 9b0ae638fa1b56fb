// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from "vitest";
import { setText, syncRows } from "./rows";

type Item = { id: string; text: string };
const item = (id: string, text = id): Item => ({ id, text });

function render(list: HTMLElement, items: Item[]): void {
  syncRows(
    list,
    items,
    (i) => i.id,
    (i) => {
      const li = document.createElement("li");
      li.append(document.createElement("span"), document.createElement("button"));
      li.firstElementChild!.textContent = i.text;
      return li;
    },
    (li, i) => setText(li.firstElementChild!, i.text),
  );
}

const keys = (list: HTMLElement) => Array.from(list.children).map((c) => (c as HTMLElement).dataset.key);

describe("a list updated in place", () => {
  let list: HTMLElement;
  beforeEach(() => {
    document.body.replaceChildren();
    list = document.createElement("ul");
    document.body.append(list);
  });

  it("keeps the rows that stay, updates them, adds and removes the others, in order", () => {
    render(list, [item("a"), item("b"), item("c")]);
    const b = list.children[1];
    render(list, [item("d"), item("b", "b changed"), item("a")]);
    expect(keys(list)).toEqual(["d", "b", "a"]);
    expect(list.children[1], "the same element, not a copy").toBe(b);
    expect(b.textContent).toBe("b changed");
  });

  it("the focus inside a row survives rows added, removed and moved around it", () => {
    render(list, [item("a"), item("b"), item("c"), item("d")]);
    const button = list.children[2].querySelector("button")!;
    button.focus();
    expect(document.activeElement).toBe(button);
    render(list, [item("e"), item("d"), item("c"), item("a")]);
    expect(keys(list)).toEqual(["e", "d", "c", "a"]);
    expect(document.activeElement, "the Retry button the operator was on keeps the focus").toBe(button);
  });

  it("removes what is not a keyed row (an empty list's message)", () => {
    list.append(document.createElement("li"));
    render(list, [item("a")]);
    expect(keys(list)).toEqual(["a"]);
  });

  it("writes text only when it changed", () => {
    const span = document.createElement("span");
    span.textContent = "same";
    const node = span.firstChild;
    setText(span, "same");
    expect(span.firstChild, "an unchanged live region is not touched").toBe(node);
  });
});
