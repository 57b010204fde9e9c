// "Not now": snooze an action to a later time, or skip it and let the API plan the next touch.

import { ApiError, get, post } from "./api.js";
import { confirmChoice } from "./confirm.js";
import { h } from "./dom.js";
import { CHANNELS, dateTime } from "./format.js";
import { clearErrors, field, onSubmit, showErrors, submit } from "./forms.js";
import { instantAt, localInput, slotIn, zoneName } from "./zone.js";

const QUICK = [["Tomorrow", 1], ["1 week", 7], ["2 weeks", 14], ["1 month", 30]];

function snoozeForm(item, snoozed) {
  const name = item.contact.name;
  const form = h("form", { class: "snooze", novalidate: true, "aria-label": `Snooze the touch with ${name}` });
  const send = async (until) => snoozed(await post(`/v1/next-actions/${item.id}/snooze`, { until }));
  const quick = h("div", { class: "snooze-quick", role: "group", "aria-label": `Snooze the touch with ${name} for` },
    QUICK.map(([label, days]) => {
      const when = slotIn(days);
      const button = h("button", { type: "button", class: "button small", "aria-label": `${label} · ${dateTime(when)}: snooze ${name}’s follow-up` },
        label, " ", h("span", { class: "quick-date" }, `· ${dateTime(when)}`));
      button.addEventListener("click", async () => {
        clearErrors(form);
        button.disabled = true;
        try {
          await send(when.toISOString());
        } catch (error) {
          if (!(error instanceof ApiError)) console.error(error);
          if (form.isConnected) showErrors(form, error);
        } finally {
          button.disabled = false;
        }
      });
      return button;
    }));
  form.append(
    quick,
    field({
      label: "Or choose a day and time", name: "until", type: "datetime-local",
      value: localInput(slotIn(7)), hint: `In your time zone (${zoneName()}).`,
    }),
    h("div", { class: "actions" }, submit("Snooze until then", { "aria-label": `Snooze until then: ${name}’s follow-up` })));
  onSubmit(form, async ({ until }) => {
    const [date, time] = (until || "").split("T");
    await send(date && time ? instantAt(date, time).toISOString() : null);
  });
  return form;
}

async function skip(item, skipped, alert) {
  const channel = CHANNELS[item.channel].toLowerCase();
  const sure = await confirmChoice({
    title: "Skip this touch?",
    text: [
      `The ${channel} to ${item.contact.name} is marked skipped and nothing is logged.`,
      `keepwarm then plans the next touch with ${item.organization.name} as if you had been in touch today.`,
      "A skip cannot be undone; you can snooze instead to keep this touch for later.",
    ],
    yes: "Skip it",
    no: "Keep it",
  });
  if (!sure) return;
  try {
    const action = await post(`/v1/next-actions/${item.id}/skip`);
    const page = await get("/v1/next-actions", { organization_id: item.organization.id, limit: 1 });
    await skipped(action, page.data[0] || null);
  } catch (error) {
    alert.replaceChildren(h("p", { class: "form-alert", role: "alert" }, error.message));
  }
}

// The "Not now?" part of an action card: snoozed(action) and skipped(action, next) update it.
export function notNow(item, { snoozed, skipped }) {
  const alert = h("div", {});
  const whose = `${item.contact.name}’s follow-up`;
  const skipButton = h("button", { type: "button", class: "button", "aria-label": `Skip this touch: ${whose}` }, "Skip this touch");
  skipButton.addEventListener("click", () => skip(item, skipped, alert));
  return h("div", { class: "not-now" },
    h("h4", {}, "Not now?"),
    h("div", { class: "not-now-row" },
      h("details", {}, h("summary", { class: "button", "aria-label": `Snooze ${whose}` }, "Snooze"), snoozeForm(item, snoozed)),
      skipButton),
    alert);
}
