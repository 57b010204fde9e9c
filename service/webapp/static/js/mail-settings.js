// Mail: the daily reminder on or off, and the private address that logs emails sent with BCC.

import { request } from "./api.js";
import { confirmChoice } from "./confirm.js";
import { copyButton } from "./copy.js";
import { h, uid } from "./dom.js";
import { announce } from "./navigate.js";

const REMINDER_LABEL = "Send me a daily reminder when a follow-up is due";
const REMINDER_HINT = "One email a day at your preferred hour, with each script ready to send. Every reminder has a one-click link to stop them.";

function checkbox(name, checked) {
  const id = uid(`f-${name}`);
  const hint = h("p", { class: "hint", id: `${id}-hint` }, REMINDER_HINT);
  const box = h("input", { type: "checkbox", id, name, checked, "aria-describedby": hint.id });
  return { box, node: h("div", { class: "field checkbox" }, h("label", { for: id }, box, " ", REMINDER_LABEL), hint) };
}

// For the sign-up form: the choice, then saved once the account exists.
export function reminderChoice() {
  return checkbox("reminders", false).node;
}

export async function saveReminderChoice(wanted) {
  if (wanted) await request("PATCH", "/v1/settings", { json: { reminders: "daily" } });
}

function reminders(settings) {
  const { box, node } = checkbox("reminders", settings.reminders === "daily");
  const note = h("p", { class: "saved", role: "status" });
  box.addEventListener("change", async () => {
    note.textContent = "";
    try {
      await request("PATCH", "/v1/settings", { json: { reminders: box.checked ? "daily" : "off" } });
      note.textContent = box.checked ? "Daily reminders on." : "Reminders off.";
    } catch (error) {
      box.checked = !box.checked;
      note.textContent = error.message;
    }
  });
  return [node, note];
}

function loggingAddress(address) {
  const title = h("h3", { id: uid("logging-title") }, "Log emails by BCC");
  if (!address) {
    return h("section", { "aria-labelledby": title.id }, title,
      h("p", { class: "muted" }, "This server does not receive email, so there is no logging address."));
  }
  const shown = h("code", { class: "logging-address" }, address);
  const copy = h("span", {}, copyButton(address, "address", "logging emails"));
  const rotate = h("button", { type: "button", class: "button small" }, "New address");
  rotate.addEventListener("click", async () => {
    const sure = await confirmChoice({
      title: "Replace your logging address?",
      text: ["Mail sent to the current address will be refused from now on."],
      yes: "Replace it",
      no: "Keep it",
    });
    if (!sure) return;
    const { data } = await request("POST", "/v1/mail/logging-address/rotate");
    shown.textContent = data.address;
    copy.replaceChildren(copyButton(data.address, "address", "logging emails"));
    announce("New logging address ready.");
  });
  return h("section", { "aria-labelledby": title.id }, title,
    h("p", { class: "muted" }, "BCC this private address when you write to a contact, or forward their reply to it: keepwarm logs the touch, and counts the follow-up as done."),
    h("p", {}, shown),
    h("div", { class: "actions" }, copy, rotate));
}

// Where the server sends no email, the setting would do nothing: say so instead of offering it.
function noReminders() {
  return h("p", { class: "muted" },
    "This server does not send reminder emails: add your follow-ups to your calendar instead (Reminders, above).");
}

export async function mailSection(settings) {
  const [{ data }, server] = await Promise.all([
    request("GET", "/v1/mail/logging-address"),
    request("GET", "/v1/server", { anonymous: true }),
  ]);
  return h("section", { class: "card", "aria-labelledby": "mail-title" },
    h("h2", { id: "mail-title" }, "Email"),
    server.data.reminders ? reminders(settings) : noReminders(),
    loggingAddress(data.address));
}
