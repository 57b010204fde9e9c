// Settings and profile: each a JSON merge patch sent with the If-Match of what was read; then
// reminders (the calendar feed), your data, password, keys and account deletion.

import { get, request } from "../api.js";
import { deleteSection, exportSection, passwordSection } from "../account-data.js";
import { calendarSection } from "../calendar-feed.js";
import { h } from "../dom.js";
import { save } from "../edit.js";
import { field, onSubmit, submit } from "../forms.js";
import { setTimeZone } from "../format.js";
import { keysSection } from "../keys.js";
import { mailSection } from "../mail-settings.js";
import { announce } from "../navigate.js";
import { zoneField } from "../zone-picker.js";
import { setPreferences } from "../zone.js";

const NUMBERS = [
  ["preferred_hour", "Preferred hour (0–23)", "Follow-ups are planned at this hour."],
  ["initial_delay_days", "Days before the first touch", "After the day they said no."],
  ["warm_touches", "Touches in the warm phase", null],
  ["warm_days", "Days between warm touches", null],
  ["warm_window_days", "Warm window (± days)", null],
  ["maintenance_days", "Days between maintenance touches", null],
  ["maintenance_window_days", "Maintenance window (± days)", null],
  ["opening_days", "Days between touches while an opening is discussed", null],
  ["min_gap_days", "Minimum days between touches", "At the same organization, whoever it is with."],
  ["news_fresh_days", "Days news stays fresh", "Older news is not quoted in scripts."],
  ["referral_days", "Working days before reaching someone you were referred to", null],
  ["retry_days", "Working days before trying again after no answer", null],
];

// The profile's fields; one the API does not have yet (not in the profile read) is not shown.
const PROFILE_FIELDS = [
  ["name", (p) => field({ label: "Your name", name: "name", value: p.name, hint: "Scripts say it: “Hi Ann, it’s Sam Park…”.", attrs: { autocomplete: "name" } })],
  ["phone", (p) => field({ label: "Your phone", name: "phone", type: "tel", value: p.phone, hint: "The callback number your voicemails leave.", attrs: { autocomplete: "tel" } })],
  ["email", (p) => field({ label: "Your email", name: "email", type: "email", value: p.email, hint: "For the scripts that ask them to write back.", attrs: { autocomplete: "email" } })],
  ["signature", (p) => field({ label: "Email signature", name: "signature", type: "textarea", rows: 3, value: p.signature, hint: "Below “Best regards,”. Default: your name." })],
];

// Only what changed is sent (a merge patch); a 412 means it changed elsewhere: the form
// shows the latest version and says which fields changed, so a second save keeps them.
function editor(path, form, state, what, saved) {
  const note = form.querySelector(".saved");
  onSubmit(form, async (values) => {
    note.textContent = "";
    const data = await save(form, path, values, state, what);
    saved(data);
    note.textContent = "Saved.";
    announce("Saved.");
  });
}

function savedNote() {
  return h("p", { class: "saved", "aria-hidden": "true" });
}

export async function render(view) {
  const [profile, settings, me, reminders, keys] = await Promise.all([
    request("GET", "/v1/profile"), request("GET", "/v1/settings"), get("/v1/me"), calendarSection(), keysSection(),
  ]);
  const mail = await mailSection(settings.data);
  const profileForm = h("form", { novalidate: true, "aria-labelledby": "profile-title" },
    PROFILE_FIELDS.filter(([name]) => name in profile.data).map(([, make]) => make(profile.data)),
    h("div", { class: "actions" }, submit("Save profile"), savedNote()));
  const zoneForm = h("form", { novalidate: true, "aria-labelledby": "zone-title" },
    zoneField({ label: "Your time zone", name: "timezone", value: settings.data.timezone, hint: "Every time keepwarm shows or plans is in this zone." }),
    h("div", { class: "actions" }, submit("Save time zone"), savedNote()));
  const settingsForm = h("form", { novalidate: true, "aria-labelledby": "cadence-title" },
    h("div", { class: "grid" }, NUMBERS.map(([name, label, hint]) =>
      field({ label, name, type: "number", value: settings.data[name], hint, attrs: { inputmode: "numeric" } }))),
    h("div", { class: "actions" }, submit("Save cadence"), savedNote()));
  const applied = (data) => {
    setTimeZone(data.timezone);
    setPreferences(data);
  };
  // The two forms edit one record: they share its state (and its ETag).
  const shared = { ...settings };
  editor("/v1/profile", profileForm, { ...profile }, "Your profile", () => {});
  editor("/v1/settings", zoneForm, shared, "These settings", applied);
  editor("/v1/settings", settingsForm, shared, "These settings", applied);
  view.classList.add("narrow");
  view.append(
    h("h1", {}, "Settings"),
    h("section", { class: "card", "aria-labelledby": "profile-title" }, h("h2", { id: "profile-title" }, "Profile"), profileForm),
    reminders,
    mail,
    h("section", { class: "card", "aria-labelledby": "zone-title" }, h("h2", { id: "zone-title" }, "Time zone"), zoneForm),
    h("section", { class: "card", "aria-labelledby": "cadence-title" },
      h("h2", { id: "cadence-title" }, "Cadence"),
      h("p", { class: "muted" }, "How often keepwarm plans a touch. The defaults follow recruiting practice: every 2–4 weeks at first, then every couple of months."),
      settingsForm),
    exportSection(),
    passwordSection(),
    keys,
    deleteSection(me.email));
}
