// "They referred me to someone": whom, picked from the organization's contacts or added first.

import { ApiError, all, post } from "./api.js";
import { h } from "./dom.js";
import { ROLES } from "./format.js";
import { field } from "./forms.js";

const NEW = "new";
const PREFIX = "new_contact.";

function controls(node) {
  return [...node.querySelectorAll("input, select, textarea")];
}

function enable(node, on) {
  node.hidden = !on;
  for (const control of controls(node)) control.disabled = !on;
}

// The picker for a log form: show(on) with the outcome; contactId(values) once submitted.
export function referralPicker(item) {
  const who = field({
    label: "Who did they refer you to?", name: "referred_to_contact_id", required: true,
    options: [["", "Choose…"]],
    hint: "keepwarm plans a prompt touch with them, saying who referred you.",
  });
  const select = who.querySelector("select");
  const person = h("fieldset", { class: "new-contact" },
    h("legend", {}, "The person they named"),
    field({ label: "Their name", name: `${PREFIX}name`, required: true, attrs: { autocomplete: "off" } }),
    field({ label: "Their role", name: `${PREFIX}role`, value: "hiring_manager", options: Object.entries(ROLES) }),
    field({ label: "Their email", name: `${PREFIX}email`, type: "email", attrs: { autocomplete: "off" } }),
    field({ label: "Their phone", name: `${PREFIX}phone`, type: "tel", attrs: { autocomplete: "off" } }));
  const box = h("div", { class: "referral" }, who, person);
  let loaded = false;

  async function load() {
    if (loaded) return;
    loaded = true;
    const contacts = (await all("/v1/contacts", { organization_id: item.organization.id })).filter((c) => c.id !== item.contact_id);
    select.append(
      ...contacts.map((c) => h("option", { value: c.id }, `${c.name} · ${ROLES[c.role]}`)),
      h("option", { value: NEW }, "Someone new: add them"));
  }

  select.addEventListener("change", () => enable(person, select.value === NEW));

  return {
    element: box,
    async show(on) {
      enable(box, on);
      if (on) enable(person, select.value === NEW);
      if (on) await load();
    },
    // The contact id to send, adding the new contact first; its errors name its own fields.
    async contactId(values) {
      if (values.referred_to_contact_id !== NEW) return values.referred_to_contact_id;
      const fields = Object.fromEntries(Object.entries(values)
        .filter(([name]) => name.startsWith(PREFIX)).map(([name, value]) => [name.slice(PREFIX.length), value]));
      let contact;
      try {
        contact = await post("/v1/contacts", { ...fields, organization_id: item.organization.id });
      } catch (error) {
        if (error instanceof ApiError) {
          error.problem.errors = error.fieldErrors.map((e) => ({ ...e, field: `${PREFIX}${String(e.field).split(".").pop()}` }));
        }
        throw error;
      }
      // Picked from now on, so that a retry does not add them twice.
      select.insertBefore(h("option", { value: contact.id }, `${contact.name} · ${ROLES[contact.role]}`), select.lastElementChild);
      select.value = contact.id;
      enable(person, false);
      return contact.id;
    },
  };
}

export function withoutNewContact(values) {
  return Object.fromEntries(Object.entries(values).filter(([name]) => !name.startsWith(PREFIX)));
}
