// Settings: every wizard step again (Change Credentials is step 2), schedule interval, pause, start on login.
import { h, errorText } from "../dom";
import { autostart, setAutostart, setSchedule, setupState } from "../api/commands";
import { renderWizard } from "../wizard/wizard";

export async function renderSettings(root: HTMLElement, onSaved: () => void): Promise<void> {
  const setup = await setupState();
  const s = setup.settings ?? setup.draft;
  const status = h("p", { id: "settings-status" });
  const interval = h("input", { id: "interval", type: "number", min: 1, value: s.schedule.interval_minutes });
  const pause = h("input", { id: "pause", type: "checkbox", checked: s.schedule.paused });
  const login = h("input", { id: "autostart", type: "checkbox" });
  autostart().then((on) => { login.checked = on; }).catch(() => undefined);
  const wizardHost = h("div", { id: "settings-wizard" });
  root.replaceChildren(h("section", { id: "settings" },
    h("h2", {}, "Schedule"),
    h("label", {}, "Sync every ", interval, " minutes"),
    h("label", {}, pause, " Pause the schedule (Sync now still works)"),
    h("label", {}, login, " Start on login"),
    h("button", { id: "save-schedule", type: "button", onclick: async () => {
      try {
        s.schedule.interval_minutes = Math.max(1, Number(interval.value) || 15);
        s.schedule.paused = pause.checked;
        await setSchedule(s.schedule);
        await setAutostart(login.checked);
        status.textContent = `Saved: every ${s.schedule.interval_minutes} min${s.schedule.paused ? ", paused" : ""}.`;
      } catch (e) { status.textContent = errorText(e); }
    } }, "Apply"), status,
    h("h2", {}, "Setup steps and credentials"),
    h("p", {}, "Walk through the guide's steps again; step 2 is Change Credentials. Finish saves and restarts the schedule."),
    wizardHost));
  renderWizard(wizardHost, s, onSaved, { onDemo: null });
}
