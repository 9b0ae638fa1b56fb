// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { tabAfterKey, tablist } from "./tabs";

describe("tabs and the arrow keys", () => {
  it.each([
    ["ArrowRight", 0, 1],
    ["ArrowRight", 3, 0],
    ["ArrowLeft", 0, 3],
    ["ArrowDown", 1, 2],
    ["ArrowUp", 1, 0],
    ["Home", 2, 0],
    ["End", 1, 3],
  ])("%s from tab %i goes to tab %i of four", (key, from, to) => {
    expect(tabAfterKey(key, from, 4)).toBe(to);
  });

  it("any other key is left alone", () => {
    expect(tabAfterKey("Enter", 1, 4)).toBeNull();
  });

  it("one tab is in the Tab order; an arrow key selects and focuses the next", () => {
    const chosen: string[] = [];
    const tabs = tablist(
      "Views",
      [
        { id: "tab-a", label: "A" },
        { id: "tab-b", label: "B" },
      ],
      "tab-a",
      "panel",
      (id) => {
        chosen.push(id);
        tabs.select(id);
      },
    );
    document.body.replaceChildren(tabs.element);
    const [a, b] = Array.from(tabs.element.querySelectorAll("button"));
    expect([a.tabIndex, b.tabIndex], "only the selected tab is reached with Tab").toEqual([0, -1]);
    expect(a.getAttribute("role")).toBe("tab");
    a.focus();
    a.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
    expect(chosen).toEqual(["tab-b"]);
    expect(document.activeElement).toBe(b);
    expect([a.getAttribute("aria-selected"), b.getAttribute("aria-selected")]).toEqual(["false", "true"]);
  });
});
