// The form of one touch, logged at any time or corrected later: with whom, how, who reached
// whom, when (in the account's zone), what happened, and notes.

import { h } from "./dom.js";
import { CHANNELS, ROLES } from "./format.js";
import { choice, field } from "./forms.js";
import { fillOutcomes, requireOutcome } from "./outcomes.js";
import { instantAt, localInput, zoneName } from "./zone.js";

const DIRECTIONS = [["outbound", "I reached out"], ["inbound", "They reached me"]];

// touchFields({contacts, touch}): the fields, ready to go in a form. With `contacts`, a
// contact is chosen (a new touch); without, the touch keeps its contact (an edit).
export function touchFields({ contacts = null, touch = {} }) {
  const channel = touch.channel || "email";
  const direction = touch.direction || "outbound";
  const contactField = contacts
    ? field({
      label: "Contact", name: "contact_id", required: true, value: touch.contact_id,
      options: contacts.map((c) => [c.id, `${c.name} · ${ROLES[c.role]}`]),
    })
    : null;
  const channelField = field({ label: "How", name: "channel", value: channel, options: Object.entries(CHANNELS) });
  const directionField = choice({ legend: "Who reached out?", name: "direction", value: direction, options: DIRECTIONS });
  const when = field({
    label: "When", name: "occurred_at", type: "datetime-local", required: true,
    value: localInput(touch.occurred_at || new Date()),
    hint: `In your time zone (${zoneName()}).`,
  });
  const outcome = field({ label: "What happened", name: "outcome", required: true, options: [] });
  const notes = field({ label: "Notes", name: "notes", type: "textarea", rows: 3, value: touch.notes, hint: "For you: what was said, what to mention next time." });
  const channelSelect = channelField.querySelector("select");
  const outcomeSelect = outcome.querySelector("select");
  // A correction cannot name who they referred you to: that outcome is logged anew.
  const left = !contacts && touch.outcome !== "referred" ? ["referred"] : [];
  const refill = () => {
    const chosen = directionField.querySelector("input:checked")?.value || "outbound";
    fillOutcomes(outcomeSelect, channelSelect.value, chosen, left);
  };
  outcomeSelect.append(h("option", { value: touch.outcome || "" }));
  outcomeSelect.value = touch.outcome || "";
  refill();
  channelSelect.addEventListener("change", refill);
  directionField.addEventListener("change", refill);
  return [contactField, channelField, directionField, when, outcome, notes];
}

// The form's values as the API takes them; an empty outcome is refused by its field.
export function touchBody(values) {
  requireOutcome(values);
  const body = { ...values };
  if (values.occurred_at) {
    const [date, time] = values.occurred_at.split("T");
    body.occurred_at = instantAt(date, time).toISOString();
  }
  return body;
}
