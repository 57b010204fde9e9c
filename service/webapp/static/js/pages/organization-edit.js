// Editing an organization: its name, the role, and where the follow-ups stand (its status).

import { request } from "../api.js";
import { h } from "../dom.js";
import { save } from "../edit.js";
import { field, onSubmit, submit } from "../forms.js";
import { announce, go } from "../navigate.js";

const STATUS_CHOICES = [
  ["nurturing", "Nurturing: keep in touch now and then"],
  ["opening", "Opening: a role is being discussed (touch base weekly)"],
  ["paused", "Paused: no follow-ups until I set it back"],
  ["hired", "Hired: they took me on"],
  ["closed", "Closed: stop following up"],
  ["watching", "Watching: we haven’t talked about a job"],
];

export async function render(view, id) {
  const path = `/v1/organizations/${id}`;
  const state = await request("GET", path);
  const org = state.data;
  const form = h("form", { novalidate: true, "aria-labelledby": "edit-org-title" },
    field({ label: "Name", name: "name", required: true, value: org.name, attrs: { autocomplete: "organization" } }),
    field({ label: "Role you applied for", name: "role_applied", value: org.role_applied }),
    field({
      label: "What you talked about", name: "talked_about", value: org.talked_about,
      hint: "What the interviews were about (“the data-platform migration”): scripts refer to it.",
      attrs: { maxlength: "200" },
    }),
    field({
      label: "Status", name: "status", value: org.status, options: STATUS_CHOICES,
      hint: "Mark that a role opened, or pause or close the follow-ups.",
    }),
    field({ label: "Why it is paused", name: "paused_reason", value: org.paused_reason, hint: "Optional, while paused: a note for later you." }),
    field({ label: "The day they said no", name: "rejected_on", type: "date", value: org.rejected_on }),
    field({ label: "Website", name: "website", type: "url", value: org.website }),
    field({ label: "Notes", name: "notes", type: "textarea", rows: 3, value: org.notes }),
    h("div", { class: "actions" },
      submit("Save changes"),
      h("a", { class: "button quiet", href: `#/organizations/${id}` }, "Cancel")));
  onSubmit(form, async (values) => {
    const saved = await save(form, path, values, state, "This organization");
    announce(`${saved.name} saved.`);
    go(`/organizations/${id}`);
  });
  view.classList.add("narrow");
  view.append(
    h("p", { class: "crumbs" }, h("a", { href: `#/organizations/${id}` }, org.name)),
    h("h1", { id: "edit-org-title" }, `Edit ${org.name}`),
    h("div", { class: "card" }, form));
}
