// Logging a touch at any time (an early call, a reply they sent on their own), and
// correcting or deleting one already logged.

import { all, get, post, request } from "../api.js";
import { h } from "../dom.js";
import { remove, save } from "../edit.js";
import { CHANNELS, dateTime } from "../format.js";
import { onSubmit, showErrors, submit } from "../forms.js";
import { announce, go } from "../navigate.js";
import { touchBody, touchFields } from "../touch-form.js";
import { confirmDelete } from "../touch-list.js";
import { referralPicker, withoutNewContact } from "../referral.js";
import { localInput } from "../zone.js";

function frame(view, org, title, ...content) {
  view.classList.add("narrow");
  view.append(
    h("p", { class: "crumbs" }, h("a", { href: `#/organizations/${org.id}` }, org.name)),
    h("h1", { id: "touch-title" }, title),
    ...content);
}

export async function log(view, orgId) {
  const query = new URLSearchParams(window.location.hash.split("?")[1] || "");
  const [org, contacts] = await Promise.all([get(`/v1/organizations/${orgId}`), all("/v1/contacts", { organization_id: orgId })]);
  const chosen = contacts.find((c) => c.id === query.get("contact"));
  const title = chosen ? `Log a touch with ${chosen.name}` : `Log a touch with ${org.name}`;
  if (!contacts.length) {
    frame(view, org, title, h("div", { class: "card" },
      h("p", {}, "A touch is with someone: add a contact first."),
      h("a", { class: "button", href: `#/organizations/${orgId}/contacts/new` }, `Add a contact at ${org.name}`)));
    return;
  }
  const fields = touchFields({ contacts, touch: { contact_id: chosen?.id } });
  // "They referred me to someone": whom, picked or added, beside the outcome.
  const picker = referralPicker({ organization: { id: orgId }, contact_id: (chosen || contacts[0]).id });
  const at = fields.findIndex((node) => node?.querySelector("select[name=outcome]"));
  const outcome = fields[at].querySelector("select");
  fields.splice(at + 1, 0, picker.element);
  picker.show(false);
  outcome.addEventListener("change", () => picker.show(outcome.value === "referred"));
  const form = h("form", { novalidate: true, "aria-labelledby": "touch-title" },
    fields,
    h("div", { class: "actions" },
      submit("Log it", { "aria-label": `Log it: the touch with ${chosen ? chosen.name : org.name}` }),
      h("a", { class: "button quiet", href: `#/organizations/${orgId}` }, "Cancel")));
  onSubmit(form, async (values) => {
    const body = touchBody(withoutNewContact(values));
    if (body.outcome === "referred") body.referred_to_contact_id = await picker.contactId(values);
    const attempt = await post("/v1/attempts", body);
    const who = contacts.find((c) => c.id === attempt.contact_id)?.name || "them";
    announce(`Logged: ${CHANNELS[attempt.channel].toLowerCase()} with ${who}, ${dateTime(attempt.occurred_at)}.`);
    go(`/organizations/${orgId}`);
  });
  frame(view, org, title, h("div", { class: "card" }, form));
}

// Keep the time the API stored where the form shows the same minute (no needless change).
function unchangedTime(body, state) {
  if (localInput(state.data.occurred_at) === localInput(body.occurred_at)) body.occurred_at = state.data.occurred_at;
  return body;
}

export async function edit(view, orgId, id) {
  const path = `/v1/attempts/${id}`;
  const [org, state] = await Promise.all([get(`/v1/organizations/${orgId}`), request("GET", path)]);
  const contact = await get(`/v1/contacts/${state.data.contact_id}`);
  const what = `the ${CHANNELS[state.data.channel].toLowerCase()} with ${contact.name} on ${dateTime(state.data.occurred_at)}`;
  const form = h("form", { novalidate: true, "aria-labelledby": "touch-title" },
    touchFields({ touch: state.data }),
    h("div", { class: "actions" },
      submit("Save touch"),
      h("a", { class: "button quiet", href: `#/organizations/${orgId}` }, "Cancel")));
  onSubmit(form, async (values) => {
    await save(form, path, unchangedTime(touchBody(values), state), state, "This touch");
    announce("Touch saved.");
    go(`/organizations/${orgId}`);
  });
  const removeButton = h("button", { type: "button", class: "button danger" }, "Delete this touch");
  removeButton.addEventListener("click", async () => {
    if (!(await confirmDelete(what))) return;
    try {
      await remove(path, state, "This touch");
      announce("Touch deleted.");
      go(`/organizations/${orgId}`);
    } catch (error) {
      showErrors(form, error);
    }
  });
  frame(view, org, `Edit the touch with ${contact.name}`,
    h("div", { class: "card" }, form),
    h("section", { class: "card danger-zone", "aria-labelledby": "delete-touch-title" },
      h("h2", { id: "delete-touch-title" }, "Delete"),
      h("p", { class: "muted" }, "keepwarm plans the next touch again as if this one never happened."),
      removeButton));
}
