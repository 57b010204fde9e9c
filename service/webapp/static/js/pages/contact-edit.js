// Editing a contact, or removing them (with the touches logged with them, after asking).

import { all, request } from "../api.js";
import { confirmChoice } from "../confirm.js";
import { h } from "../dom.js";
import { fill, remove, save } from "../edit.js";
import { ROLES } from "../format.js";
import { field, onSubmit, showErrors, submit } from "../forms.js";
import { announce, go } from "../navigate.js";
import { zoneField } from "../zone-picker.js";

const STATUS_CHOICES = [
  ["active", "Active"],
  ["archived", "Archived: keep the history, no more follow-ups"],
  ["do_not_contact", "Do not contact: they asked me to stop"],
];

function removal(contact, touches) {
  const logged = touches === 1 ? "the touch logged with them" : `the ${touches} touches logged with them`;
  return [
    touches ? `This deletes ${contact.name} and ${logged}. It cannot be undone.` : `This deletes ${contact.name}. It cannot be undone.`,
    "To keep the history instead, set their status to Archived.",
  ];
}

export async function render(view, orgId, id) {
  const path = `/v1/contacts/${id}`;
  const [state, org, attempts] = await Promise.all([
    request("GET", path),
    request("GET", `/v1/organizations/${orgId}`),
    all("/v1/attempts", { contact_id: id }),
  ]);
  const contact = state.data;
  const orgPage = `/organizations/${orgId}`;
  const form = h("form", { novalidate: true, "aria-labelledby": "edit-contact-title" },
    field({ label: "Name", name: "name", required: true, value: contact.name, attrs: { autocomplete: "off" } }),
    field({ label: "Role", name: "role", value: contact.role, options: Object.entries(ROLES) }),
    field({ label: "Title", name: "title", value: contact.title }),
    field({ label: "Email", name: "email", type: "email", value: contact.email, attrs: { autocomplete: "off" } }),
    field({ label: "Phone", name: "phone", type: "tel", value: contact.phone, attrs: { autocomplete: "off" } }),
    field({ label: "Profile URL", name: "profile_url", type: "url", value: contact.profile_url }),
    field({ label: "Greet them as", name: "greeting_name", value: contact.greeting_name, hint: "Optional: “Dr. Lee”, “Annie”. Default: their first name." }),
    zoneField({ label: "Their time zone", name: "timezone", value: contact.timezone, hint: "Optional. Default: yours.", optional: true }),
    field({ label: "Status", name: "status", value: contact.status, options: STATUS_CHOICES, hint: "Someone who asked you to stop stays “do not contact”." }),
    h("div", { class: "actions" },
      submit("Save changes"),
      h("a", { class: "button quiet", href: `#${orgPage}` }, "Cancel")));
  onSubmit(form, async (values) => {
    const saved = await save(form, path, values, state, "This contact");
    announce(`${saved.name} saved.`);
    go(orgPage);
  });
  const removeButton = h("button", { type: "button", class: "button danger" }, "Remove contact");
  removeButton.addEventListener("click", async () => {
    const sure = await confirmChoice({
      title: `Remove ${state.data.name}?`, text: removal(state.data, attempts.length), yes: "Remove", no: "Keep", danger: true,
    });
    if (!sure) return;
    try {
      await remove(path, state, "This contact");
      announce(`${state.data.name} removed.`);
      go(orgPage);
    } catch (error) {
      fill(form, state.data);
      showErrors(form, error);
    }
  });
  view.classList.add("narrow");
  view.append(
    h("p", { class: "crumbs" }, h("a", { href: `#${orgPage}` }, org.data.name)),
    h("div", { class: "title-row" },
      h("h1", { id: "edit-contact-title" }, `Edit ${contact.name}`),
      h("a", { class: "button small", href: `#${orgPage}/log?contact=${id}` }, `Log a touch with ${contact.name}`)),
    h("div", { class: "card" }, form),
    h("section", { class: "card danger-zone", "aria-labelledby": "remove-title" },
      h("h2", { id: "remove-title" }, "Remove"),
      h("p", { class: "muted" }, removal(contact, attempts.length).join(" ")),
      removeButton));
}
