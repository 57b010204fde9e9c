// Logging the touch an action asked for: one tap for the usual outcomes, a form for the rest.

import { post } from "./api.js";
import { h } from "./dom.js";
import { CHANNELS, OUTCOMES } from "./format.js";
import { field, onSubmit, submit } from "./forms.js";
import { fillOutcomes, requireOutcome } from "./outcomes.js";
import { referralPicker, withoutNewContact } from "./referral.js";

// The one-tap outcomes that fit each channel (the API refuses the others).
const QUICK = {
  email: ["sent", "replied"],
  message: ["sent", "replied"],
  call: ["conversation", "left_voicemail", "no_answer"],
  voicemail: ["left_voicemail"],
  in_person: ["conversation"],
};

// done(attempt) runs once the API has stored it.
export function logForm(item, done) {
  const base = {
    contact_id: item.contact_id,
    channel: item.channel,
    next_action_id: item.id,
    script_variant: item.script.variant,
    news_id: item.news_id,
  };
  const quick = h("div", { class: "log-quick", role: "group", "aria-label": `Log the touch with ${item.contact.name}` },
    QUICK[item.channel].map((outcome) => {
      const label = `${OUTCOMES[outcome]}: log the ${CHANNELS[item.channel].toLowerCase()} with ${item.contact.name}`;
      const button = h("button", { type: "button", class: "button primary", "aria-label": label }, OUTCOMES[outcome]);
      button.addEventListener("click", async () => {
        button.disabled = true;
        try {
          await done(await post("/v1/attempts", { ...base, outcome }));
        } catch (error) {
          button.disabled = false;
          quick.append(h("p", { class: "form-alert", role: "alert" }, error.message));
        }
      });
      return button;
    }));
  const channel = field({ label: "Channel", name: "channel", value: item.channel, options: Object.entries(CHANNELS) });
  const outcome = field({ label: "Outcome", name: "outcome", required: true, options: [] });
  const picker = referralPicker(item);
  const who = item.contact.name;
  const more = h("form", { class: "log-more", novalidate: true, "aria-label": `Log another outcome with ${who}` },
    channel, outcome, picker.element,
    field({ label: "They asked me to follow up on", name: "follow_up_on", type: "date" }),
    field({ label: "Notes", name: "notes", type: "textarea", rows: 2 }),
    h("div", { class: "actions" }, submit("Log it", { "aria-label": `Log it: the touch with ${who}` })));
  const channelSelect = channel.querySelector("select");
  const outcomeSelect = outcome.querySelector("select");
  const followOutcome = () => picker.show(outcomeSelect.value === "referred");
  fillOutcomes(outcomeSelect, item.channel);
  picker.show(false);
  channelSelect.addEventListener("change", () => {
    fillOutcomes(outcomeSelect, channelSelect.value);
    followOutcome();
  });
  outcomeSelect.addEventListener("change", followOutcome);
  onSubmit(more, async (values) => {
    requireOutcome(values);
    const attempt = withoutNewContact(values);
    if (attempt.outcome === "referred") attempt.referred_to_contact_id = await picker.contactId(values);
    await done(await post("/v1/attempts", { ...base, ...attempt }));
  });
  return h("div", { class: "log" },
    h("h4", {}, "Done? Log it"),
    quick,
    h("details", {}, h("summary", { "aria-label": `Something else happened with ${who}` }, "Something else happened"), more));
}
