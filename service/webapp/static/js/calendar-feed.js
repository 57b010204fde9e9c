// Reminders by calendar: the account's secret feed URL, a webcal: link, rotating it, and the
// few steps to subscribe in Google, Apple and Outlook.

import { ApiError, get, post } from "./api.js";
import { confirmChoice } from "./confirm.js";
import { copyButton } from "./copy.js";
import { h } from "./dom.js";
import { announce } from "./navigate.js";
import { noteCalendarAdded } from "./reminders.js";

const TITLE_ID = "reminders-title";

const STEPS = [
  ["Google Calendar", [
    "Copy the feed URL above.",
    "On a computer, open calendar.google.com; beside “Other calendars”, choose + then “From URL”.",
    "Paste the URL and choose “Add calendar”. Google refreshes it every few hours.",
  ]],
  ["Apple Calendar (iPhone, iPad, Mac)", [
    "Choose “Subscribe in your calendar app” above, or in Calendar choose File › New Calendar Subscription and paste the URL.",
    "Confirm with Subscribe; set “Auto-refresh” to every hour on a Mac.",
  ]],
  ["Outlook", [
    "Copy the feed URL above.",
    "In Outlook on the web, open the calendar, choose “Add calendar”, then “Subscribe from web”.",
    "Paste the URL, name it keepwarm, and choose Import.",
  ]],
];

function steps() {
  return h("div", { class: "feed-steps" },
    h("h3", {}, "How to subscribe"),
    STEPS.map(([app, lines]) => h("details", { class: "fold" },
      h("summary", {}, app),
      h("ol", { class: "steps" }, lines.map((line) => h("li", {}, line))))));
}

function feedBlock(urls, rotate) {
  const input = h("input", { id: "feed-url", type: "text", class: "feed-url", readonly: true, value: urls.feed_url });
  const copy = copyButton(urls.feed_url, "feed URL", "your calendar");
  copy.addEventListener("click", () => noteCalendarAdded());
  const webcal = h("a", { class: "button primary", href: urls.webcal_url }, "Subscribe in your calendar app");
  webcal.addEventListener("click", () => noteCalendarAdded());
  return h("div", { class: "feed" },
    h("div", { class: "field" },
      h("label", { for: "feed-url" }, "Your calendar feed URL"),
      h("p", { class: "hint" }, "Secret: anyone with it can read your follow-ups. Rotate it if it leaks."),
      input),
    h("div", { class: "actions" }, webcal, copy, rotate));
}

export async function calendarSection() {
  const body = h("div", {});
  const section = h("section", { class: "card", "aria-labelledby": TITLE_ID },
    h("h2", { id: TITLE_ID }, "Reminders"),
    h("p", { class: "muted" }, "Each planned follow-up appears in your calendar at its time, with a 10-minute alarm, and updates itself as plans change."),
    body);
  const rotate = h("button", { type: "button", class: "button" }, "Rotate the URL");
  let urls;
  try {
    urls = await get("/v1/calendar");
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 503) throw error;
    body.append(h("p", { class: "hint-note" }, error.message));
    return section;
  }
  rotate.addEventListener("click", async () => {
    const sure = await confirmChoice({
      title: "Rotate the calendar URL?",
      text: ["The current URL stops working at once: calendars subscribed with it stop updating.", "You then subscribe again with the new one."],
      yes: "Rotate it", no: "Keep it", danger: true,
    });
    if (!sure) return;
    urls = await post("/v1/calendar/rotate-token");
    body.replaceChildren(feedBlock(urls, rotate), steps());
    rotate.focus();
    announce("New calendar URL made: the old one no longer works.");
  });
  body.append(feedBlock(urls, rotate), steps());
  return section;
}
