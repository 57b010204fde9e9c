// One planned touch, ready to act on: who, when, why, the script, and logging it (Today, and
// an organization's page for a touch further out).

import { get } from "./api.js";
import { h } from "./dom.js";
import { CHANNELS, HINTS, OUTCOMES, PHASES, ROLES, dateTime, due } from "./format.js";
import { copyBlock } from "./copy.js";
import { logForm } from "./log-touch.js";
import { announce } from "./navigate.js";
import { notNow } from "./not-now.js";

// The full name, never its first word: "Call Dr." says nothing of whom.
function links(item) {
  const name = item.contact.name;
  const out = [];
  if (item.links.mailto) out.push(h("a", { class: "button", href: item.links.mailto }, `Email ${name}`));
  if (item.links.tel) out.push(h("a", { class: "button", href: item.links.tel }, `Call ${name}`));
  if (item.links.profile) {
    out.push(h("a", { class: "button", href: item.links.profile, target: "_blank", rel: "noopener noreferrer" }, `${name}’s profile`));
  }
  return out.length ? h("div", { class: "contact-links" }, out) : null;
}

// Collapsed until opened, so that on a phone the log buttons are not screens away.
function folded(summary, ...content) {
  return h("details", { class: "fold" }, h("summary", {}, summary), ...content);
}

function script(item) {
  const s = item.script;
  const whose = item.contact.name;
  const blocks = [];
  if (s.subject) blocks.push(copyBlock("Subject", s.subject, "subject", whose));
  const title = item.channel === "call" ? "What to say" : item.channel === "email" ? "Email" : "Script";
  blocks.push(copyBlock(title, s.text, "script", whose));
  if (s.voicemail) blocks.push(folded("If nobody answers: voicemail", copyBlock("Voicemail", s.voicemail, "voicemail", whose)));
  if (s.responses.length) {
    blocks.push(folded(`If ${whose} says…`, h("dl", { class: "responses" }, s.responses.map((r) => [h("dt", {}, r.when), h("dd", {}, r.say)]))));
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
function closed(article, heading, item, title, summary, after) {
  const note = h("div", { class: "logged", role: "status" },
    h("p", { class: "logged-title" }, title),
    h("p", { class: "next-action" }, summary),
    after ? null : h("p", {}, h("a", { href: `#/organizations/${item.organization.id}` }, `See ${item.organization.name}`)));
  article.replaceChildren(heading, note);
  article.classList.add("done");
  article.classList.remove("overdue");
  heading.setAttribute("tabindex", "-1");
  heading.focus();
  announce(`${title} ${summary}`);
  if (after) after();
}

// card(item, now, {notice, level, title, after}): `after` runs once the touch is logged or
// skipped (the organization page reloads); `title` is the card's heading.
export function card(item, now, options = {}) {
  const { notice = null, level = "h3", title = null, after = null } = options;
  const overdue = new Date(item.due_at) < new Date(now);
  const heading = h(level, {}, title || h("a", { href: `#/organizations/${item.organization.id}` }, item.organization.name));
  const article = h("article", { class: `card action${overdue ? " overdue" : ""}` },
    h("header", { class: "action-head" },
      heading,
      h("p", { class: "who" },
        h("span", { class: "badge channel" }, CHANNELS[item.channel]),
        ` ${item.contact.name} · ${ROLES[item.contact.role]}`),
      h("p", { class: `when${overdue ? " late" : ""}` }, due(item.due_at, now, item.contact), ` · ${PHASES[item.phase]}`)),
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
      closed(article, heading, item, `Logged: ${OUTCOMES[attempt.outcome] || CHANNELS[attempt.channel]}.`, planned(next), after);
    }),
    notNow(item, {
      snoozed(action) {
        const text = `Snoozed: now due ${dateTime(action.due_at)}.`;
        const fresh = card({ ...item, ...action }, new Date().toISOString(), { ...options, notice: text });
        article.replaceWith(fresh);
        const freshTitle = fresh.querySelector(level);
        freshTitle.setAttribute("tabindex", "-1");
        freshTitle.focus();
        announce(text);
      },
      skipped(_action, next) {
        closed(article, heading, item, "Skipped: nothing was logged.", planned(next), after);
      },
    }));
  return article;
}
