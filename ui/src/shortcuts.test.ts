import { describe, expect, it } from "vitest";
import { shortcutList, shortcutOf } from "./shortcuts";

const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe("keyboard shortcuts", () => {
  it.each([
    [press("r", { ctrlKey: true }), false, "sync"],
    [press("r", { metaKey: true }), false, "sync"],
    [press("R", { ctrlKey: true }), false, "sync"],
    [press("f", { ctrlKey: true }), true, "search"],
    [press(",", { metaKey: true }), false, "settings"],
    [press("?"), false, "help"],
    [press("?"), true, null],
    [press("r"), false, null],
    [press("r", { ctrlKey: true, altKey: true }), false, null],
    [press("x", { ctrlKey: true }), false, null],
  ])("%o (typing: %s) is %s", (key, typing, action) => {
    expect(shortcutOf(key, typing)).toBe(action);
  });

  it("the help lists each shortcut with the platform's key", () => {
    expect(shortcutList(false).slice(0, 3)).toEqual([
      ["Ctrl+R", "Sync now"],
      ["Ctrl+F", "Find an order in History"],
      ["Ctrl+,", "Settings"],
    ]);
    expect(shortcutList(true)[0][0]).toBe("⌘R");
  });
});
