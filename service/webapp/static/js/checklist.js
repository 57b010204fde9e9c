// The first-run checklist: what a new account needs before keepwarm can help. Each item says
// where its form is and ticks itself from what the API holds. To add one, add an entry to
// ITEMS: {key, title(facts), hint (text, or hint(facts)), href(facts), done(facts)}; facts()
// gathers what they read.

import { get } from "./api.js";
import { h } from "./dom.js";
import { account, calendarAdded } from "./reminders.js";

const HIDDEN = "keepwarm.checklist-hidden.";

async function facts() {
  const [profile, organizations, managers, calendar, settings, server] = await Promise.all([
    get("/v1/profile"),
    get("/v1/organizations", { limit: 50 }),
    get("/v1/contacts", { role: "hiring_manager", limit: 1 }),
    calendarAdded(),
    get("/v1/settings"),
    get("/v1/server"),
  ]);
  const rejected = organizations.data.find((o) => o.rejected_on) || null;
  const emails = server.reminders && settings.reminders === "daily";
  return {
    profile, organizations: organizations.data, rejected, managers: managers.data, calendar, emails,
    sendsEmail: server.reminders,
  };
}

export const ITEMS = [
  {
    key: "profile",
    // Phone shows once the API's profile has one; the name alone ticks it.
    title: (f) => ("phone" in f.profile ? "Your name and phone" : "Your name"),
    hint: "Scripts say it: “Hi Ann, it’s Sam Park…”.",
    href: () => "#/settings",
    done: (f) => Boolean(f.profile.name),
  },
  {
    key: "organization",
    title: () => "The organization that said no, and the day it did",
    hint: "keepwarm plans your first friendly touch from that day.",
    href: () => "#/organizations/new",
    done: (f) => Boolean(f.rejected),
  },
  {
    key: "hiring-manager",
    title: () => "Its hiring manager",
    hint: "The person you interviewed with: keepwarm reaches them first.",
    href: (f) => {
      const org = f.rejected || f.organizations[0];
      return org ? `#/organizations/${org.id}/contacts/new` : "#/organizations/new";
    },
    done: (f) => f.managers.length > 0,
  },
  {
    key: "reminders",
    title: () => "How you want to be reminded",
    hint: (f) => (f.sendsEmail
      ? "A daily reminder email, or your follow-ups in your calendar (Google, Apple or Outlook)."
      : "Your follow-ups in your calendar (Google, Apple or Outlook)."),
    href: () => "#/settings",
    done: (f) => f.calendar || f.emails,
  },
];

function entry(item, known) {
  const done = item.done(known);
  const title = item.title(known);
  return h("li", { class: `check${done ? " done" : ""}`, dataset: { item: item.key } },
    h("span", { class: "tick", "aria-hidden": "true" }, done ? "✓" : ""),
    h("div", {},
      h("a", { href: item.href(known) }, title),
      h("span", { class: "visually-hidden" }, done ? " (done)" : " (to do)"),
      h("p", { class: "muted" }, done ? "Done." : (typeof item.hint === "function" ? item.hint(known) : item.hint))));
}

// The checklist's section, or null once every item is done or it was hidden.
export async function checklist() {
  const hidden = `${HIDDEN}${await account()}`;
  if (window.localStorage.getItem(hidden)) return null;
  const known = await facts();
  if (ITEMS.every((item) => item.done(known))) return null;
  const left = ITEMS.filter((item) => !item.done(known)).length;
  const hide = h("button", { type: "button", class: "button small quiet" }, "Hide this checklist");
  const section = h("section", { class: "card checklist", "aria-labelledby": "checklist-title" },
    h("h2", { id: "checklist-title" }, "Get started"),
    h("p", { class: "muted" }, `${ITEMS.length - left} of ${ITEMS.length} done. Each step takes a minute.`),
    h("ol", { class: "checks" }, ITEMS.map((item) => entry(item, known))),
    hide);
  hide.addEventListener("click", () => {
    window.localStorage.setItem(hidden, "yes");
    const heading = document.querySelector("h1");
    section.remove();
    heading?.focus();
  });
  return section;
}
