// Today: the agenda, each action ready to act on, and one tap to log it.

import { get } from "../api.js";
import { h } from "../dom.js";
import { CHANNELS, HINTS, OUTCOMES, PHASES, PROBLEMS, ROLES, dateTime, due } from "../format.js";
import { copyBlock } from "../copy.js";
import { logForm } from "../log-touch.js";
import { announce } from "../navigate.js";
import { notNow } from "../not-now.js";

function links(item) {
  const first = item.contact.name.split(" ")[0];
  const out = [];
  if (item.links.mailto) out.push(h("a", { class: "button", href: item.links.mailto }, `Email ${first}`));
  if (item.links.tel) out.push(h("a", { class: "button", href: item.links.tel }, `Call ${first}`));
  if (item.links.profile) {
    out.push(h("a", { class: "button", href: item.links.profile, target: "_blank", rel: "noopener noreferrer" }, `${first}’s profile`));
  }
  return out.length ? h("div", { class: "contact-links" }, out) : null;
}

function script(item) {
  const s = item.script;
  const whose = item.contact.name;
  const blocks = [];
  if (s.subject) blocks.push(copyBlock("Subject", s.subject, "subject", whose));
  const title = item.channel === "call" ? "What to say" : item.channel === "email" ? "Email" : "Script";
  blocks.push(copyBlock(title, s.text, "script", whose));
  if (s.voicemail) blocks.push(copyBlock("If nobody answers: voicemail", s.voicemail, "voicemail", whose));
  if (s.responses.length) {
    blocks.push(h("section", { class: "responses" },
      h("h4", {}, "If…"),
      h("dl", {}, s.responses.map((r) => [h("dt", {}, r.when), h("dd", {}, r.say)]))));
  }
  return blocks;
}

async function nextFor(organizationId) {
  const page = await get("/v1/next-actions", { organization_id: organizationId, limit: 1 });
  return page.data[0] || null;
}

function planned(next) {
  return next
    ? `Next: ${CHANNELS[next.channel].toLowerCase()} ${dateTime(next.due_at)}. ${next.reason}`
    : "Nothing more is planned for now.";
}

// The card once the action is closed (logged or skipped): what happened, and what comes next.
function closed(article, heading, item, title, summary) {
  const note = h("div", { class: "logged", role: "status" },
    h("p", { class: "logged-title" }, title),
    h("p", { class: "next-action" }, summary),
    h("p", {}, h("a", { href: `#/organizations/${item.organization.id}` }, `See ${item.organization.name}`)));
  article.replaceChildren(heading, note);
  article.classList.add("done");
  article.classList.remove("overdue");
  heading.setAttribute("tabindex", "-1");
  heading.focus();
  announce(`${title} ${summary}`);
}

function card(item, now, notice = null) {
  const overdue = new Date(item.due_at) < new Date(now);
  const heading = h("h3", {}, h("a", { href: `#/organizations/${item.organization.id}` }, item.organization.name));
  const article = h("article", { class: `card action${overdue ? " overdue" : ""}` },
    h("header", { class: "action-head" },
      heading,
      h("p", { class: "who" },
        h("span", { class: "badge channel" }, CHANNELS[item.channel]),
        ` ${item.contact.name} · ${ROLES[item.contact.role]}`),
      h("p", { class: `when${overdue ? " late" : ""}` }, due(item.due_at, now), ` · ${PHASES[item.phase]}`)),
    notice ? h("p", { class: "notice", role: "status" }, notice) : null,
    h("p", { class: "reason" }, item.reason),
    item.hints.map((hint) => h("p", { class: "hint-note" }, HINTS[hint] || hint)),
    links(item),
    script(item));
  heading.id = `action-${item.id}`;
  article.setAttribute("aria-labelledby", heading.id);
  article.append(
    logForm(item, async (attempt) => {
      const next = await nextFor(item.organization.id);
      closed(article, heading, item, `Logged: ${OUTCOMES[attempt.outcome] || CHANNELS[attempt.channel]}.`, planned(next));
    }),
    notNow(item, {
      snoozed(action) {
        const text = `Snoozed: now due ${dateTime(action.due_at)}.`;
        const fresh = card({ ...item, ...action }, new Date().toISOString(), text);
        article.replaceWith(fresh);
        const title = fresh.querySelector("h3");
        title.setAttribute("tabindex", "-1");
        title.focus();
        announce(text);
      },
      skipped(_action, next) {
        closed(article, heading, item, "Skipped: nothing was logged.", planned(next));
      },
    }));
  return article;
}

function attention(list) {
  if (!list.length) return null;
  return h("section", { class: "attention", "aria-labelledby": "attention-title" },
    h("h2", { id: "attention-title" }, "Needs you"),
    h("ul", { class: "plain-list" }, list.map((entry) =>
      h("li", {},
        h("a", { href: `#/organizations/${entry.organization_id}` }, entry.name),
        h("span", { class: "muted" }, ` — ${PROBLEMS[entry.problem] || entry.problem}`)))));
}

export async function render(view) {
  const agenda = await get("/v1/agenda", { days: 7 });
  const { overdue, today, upcoming } = agenda.counts;
  const items = agenda.items;
  view.append(
    h("div", { class: "page-head" },
      h("h1", {}, "Today"),
      h("p", { class: "lead" }, items.length
        ? `${overdue} overdue, ${today} due today, ${upcoming} coming up this week.`
        : "Nothing due this week. A good moment to add news or people.")),
    attention(agenda.attention) || "",
    items.length
      ? h("section", { "aria-label": "Actions" }, items.map((item) => card(item, agenda.now)))
      : h("div", { class: "card empty" },
          h("p", {}, "You are all caught up."),
          h("p", {}, h("a", { class: "button", href: "#/organizations/new" }, "Add an organization"))),
  );
}
