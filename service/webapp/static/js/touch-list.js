// The touches logged with an organization, newest first, each with its notes, and the way to
// correct (Edit) or delete one.

import { ApiError, request } from "./api.js";
import { h } from "./dom.js";
import { CHANNELS, OUTCOMES, dateTime } from "./format.js";
import { announce, go } from "./navigate.js";
import { confirmDelete } from "./pages/touch.js";

function describe(touch, names, lower = false) {
  const who = names[touch.contact_id] || "someone";
  const channel = lower ? CHANNELS[touch.channel].toLowerCase() : CHANNELS[touch.channel];
  return `${channel} ${touch.direction === "inbound" ? "from" : "to"} ${who}`;
}

// Deleting from the list: with the If-Match of the touch as listed; if it changed elsewhere
// since the page was read, the API answers 412 and the page shows the latest.
async function deleteTouch(touch, label, item, orgId) {
  if (!(await confirmDelete(label))) return;
  const path = `/v1/attempts/${touch.id}`;
  try {
    const { data, etag } = await request("GET", path);
    if (data.updated_at !== touch.updated_at) throw new ApiError(412, {});
    await request("DELETE", path, { headers: { "If-Match": etag } });
  } catch (error) {
    const text = error instanceof ApiError && error.status === 412
      ? "This touch changed elsewhere meanwhile. The page now shows the latest: check it, then delete it again."
      : error.message;
    announce(text);
    if (error instanceof ApiError && error.status === 412) go(`/organizations/${orgId}`);
    else item.append(h("p", { class: "form-alert", role: "alert" }, text));
    return;
  }
  announce("Touch deleted.");
  go(`/organizations/${orgId}`);
}

function entry(touch, names, orgId) {
  const label = `${describe(touch, names, true)}, ${dateTime(touch.occurred_at)}`;
  const item = h("li", {});
  const remove = h("button", { type: "button", class: "button small quiet", "aria-label": `Delete the ${label}` }, "Delete");
  remove.addEventListener("click", () => deleteTouch(touch, `the ${label}`, item, orgId));
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
    newest.map((touch) => entry(touch, names, orgId)));
}
