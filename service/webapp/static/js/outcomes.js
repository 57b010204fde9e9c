// Which outcomes fit a touch: by its channel (the API refuses the others) and by who reached
// whom (nobody "sends" you an unanswered call).

import { ApiError } from "./api.js";
import { h } from "./dom.js";
import { OUTCOMES } from "./format.js";

const BY_CHANNEL = {
  email: ["sent", "replied", "conversation", "referred", "opening_discussed", "asked_to_stop"],
  message: ["sent", "replied", "conversation", "referred", "opening_discussed", "asked_to_stop"],
  call: ["conversation", "left_voicemail", "no_answer", "referred", "opening_discussed", "asked_to_stop"],
  voicemail: ["left_voicemail", "sent"],
  in_person: ["conversation", "referred", "opening_discussed", "asked_to_stop"],
};
const NOT_FROM_THEM = new Set(["sent", "no_answer"]);

export function fitting(channel, direction = "outbound") {
  const all = BY_CHANNEL[channel] || [];
  return direction === "inbound" ? all.filter((o) => !NOT_FROM_THEM.has(o)) : all;
}

// Refill an outcome <select> for a channel and direction, keeping the choice where it still fits.
export function fillOutcomes(select, channel, direction, left = []) {
  const chosen = select.value;
  select.replaceChildren(
    h("option", { value: "" }, "Choose…"),
    ...fitting(channel, direction).filter((o) => !left.includes(o))
      .map((o) => h("option", { value: o, selected: o === chosen }, OUTCOMES[o])));
}

// A touch is logged with what happened: an empty outcome is refused here, by its field.
export function requireOutcome(values) {
  if (values.outcome) return;
  throw new ApiError(422, {
    detail: "Choose what happened.",
    errors: [{ field: "outcome", message: "Choose what happened, such as “Sent” or “We talked”." }],
  });
}
