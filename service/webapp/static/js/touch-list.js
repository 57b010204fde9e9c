// The touches logged with an organization, newest first, each with its notes, and the way to
// correct (Edit) or delete one.

import { ApiError, request } from "./api.js";
import { h } from "./dom.js";
import { CHANNELS, OUTCOMES, dateTime } from "./format.js";
import { announce, go } from "./navigate.js";
import { confirmChoice } from "./confirm.js";

function describe(touch, names, lower = false) {
  const who = names[touch.contact_id] || "someone";
  const channel = lower ? CHANNELS[touch.channel].toLowerCase() : CHANNELS[touch.channel];
  return `${channel} ${touch.direction === "inbound" ? "from" : "to"} ${who}`;
}

// Deleting from the list, as the touch was listed: if it changed elsewhere since the page was
// read, nothing is deleted; the entry shows the latest and says so (as a 412 does in a form).
async function deleteTouch(touch, label, item, context) {
  if (!(await confirmDelete(label))) return;
  const path = `/v1/attempts/${touch.id}`;
  let latest = null;
  try {
    const { data, etag } = await request("GET", path);
    latest = data;
    if (data.updated_at !== touch.updated_at) throw new ApiError(412, {});
    await request("DELETE", path, { headers: { "If-Match": etag } });
  } catch (error) {
    const changed = error instanceof ApiError && error.status === 412;
    const text = changed
      ? "This touch changed elsewhere meanwhile, and was not deleted. It now shows the latest: check it, then delete it again."
      : error.message;
    const shown = changed ? entry(latest, context) : item;
    if (changed) item.replaceWith(shown);
    shown.append(h("p", { class: "form-alert", role: "alert" }, text));
    return;
  }
  announce("Touch deleted.");
  go(`/organizations/${context.orgId}`);
}

function entry(touch, context) {
  const { names, orgId } = context;
  const label = `${describe(touch, names, true)}, ${dateTime(touch.occurred_at)}`;
  const item = h("li", {});
  const remove = h("button", { type: "button", class: "button small quiet", "aria-label": `Delete the ${label}` }, "Delete");
  remove.addEventListener("click", () => deleteTouch(touch, `the ${label}`, item, context));
  item.append(
    h("div", { class: "item-head" },
      h("p", {},
        h("strong", {}, dateTime(touch.occurred_at)), ` · ${describe(touch, names)}`,
        touch.outcome ? ` — ${OUTCOMES[touch.outcome]}` : ""),
      h("div", { class: "row-actions" },
        h("a", { class: "button small quiet", href: `#/organizations/${orgId}/touches/${touch.id}/edit`, "aria-label": `Edit the ${label}` }, "Edit"),
        remove)),
    // Element.append would write a null as the text "null".
    ...(touch.notes ? [h("p", { class: "touch-notes" }, touch.notes)] : []));
  return item;
}

export function touchList(orgId, attempts, contacts) {
  if (!attempts.length) return h("p", { class: "muted" }, "No touches logged yet.");
  const names = Object.fromEntries(contacts.map((c) => [c.id, c.name]));
  const newest = [...attempts].reverse();
  return h("ol", { class: "touch-list", "aria-label": `${attempts.length} touch${attempts.length === 1 ? "" : "es"}, newest first` },
    newest.map((touch) => entry(touch, { names, orgId })));
}

// Asking before a touch is deleted, naming it.
export function confirmDelete(what) {
  return confirmChoice({
    title: "Delete this touch?",
    text: [`This deletes ${what}, with its notes. It cannot be undone.`, "keepwarm plans the next touch again without it."],
    yes: "Delete", no: "Keep", danger: true,
  });
}
