// "Show in folder" after an export: the system's file manager opens the folder with the file
// selected (the opener plugin's reveal, through the `show_in_folder` command, which shows only
// files this app has just written).
import { h, errorText } from "./dom";
import { showInFolder } from "./api/commands";

/** A "Show in folder" button for `path`, with room beside it for a failure's reason. */
export function showInFolderButton(path: string, id: string): HTMLElement {
  const problem = h("span", { class: "error", role: "alert" });
  const button = h(
    "button",
    {
      id,
      type: "button",
      onclick: async () => {
        problem.textContent = "";
        try {
          await showInFolder(path);
        } catch (e) {
          problem.textContent = errorText(e);
        }
      },
    },
    "Show in folder",
  );
  return h("span", { class: "row" }, button, problem);
}
