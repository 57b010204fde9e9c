// One organization: its next action, the timeline of touches, contacts and news; and the
// forms to add a contact or a news item.

import { all, get, post, request } from "../api.js";
import { confirmChoice } from "../confirm.js";
import { h } from "../dom.js";
import { card } from "../action-card.js";
import { CHANNELS, PHASES, ROLES, STATUSES, day, due, standing } from "../format.js";
import { field, onSubmit, submit } from "../forms.js";
import { zoneField } from "../zone-picker.js";
import { announce, go } from "../navigate.js";
import { timeline } from "../timeline.js";
import { touchList } from "../touch-list.js";

const TONES = [["positive", "Positive (a launch, a win)"], ["neutral", "Neutral"], ["difficult", "Difficult (layoffs, a loss)"]];

// The planned touch, however far out, with its script and log buttons (as on Today).
function nextAction(org, action, contacts) {
  if (!action && org.status === "watching") {
    return h("p", { class: "muted" }, "Nothing is planned while you haven’t talked about a job. When they say no, set the day on Edit organization.");
  }
  if (!action) return h("p", { class: "muted" }, "Nothing planned right now.");
  const contact = contacts.find((c) => c.id === action.contact_id);
  if (!contact) return h("p", {}, due(action.due_at), ` · ${CHANNELS[action.channel]}. ${action.reason}`);
  const item = { ...action, organization: { id: org.id, name: org.name, status: org.status }, contact };
  return card(item, new Date().toISOString(), {
    level: "h3",
    title: `${CHANNELS[action.channel]}: ${contact.name}`,
    after: () => window.setTimeout(() => go(`/organizations/${org.id}`), 1500),
  });
}

function contactList(orgId, contacts) {
  if (!contacts.length) return h("p", { class: "muted" }, "Nobody on file yet.");
  return h("ul", { class: "people" }, contacts.map((c) =>
    h("li", {},
      h("div", { class: "item-head" },
        h("p", { class: "person" }, h("strong", {}, c.name), ` · ${ROLES[c.role]}`, c.status !== "active" ? ` · ${c.status.replaceAll("_", " ")}` : ""),
        h("div", { class: "row-actions" },
          h("a", { class: "button small quiet", href: `#/organizations/${orgId}/log?contact=${c.id}`, "aria-label": `Log a touch with ${c.name}` }, "Log a touch"),
          h("a", { class: "button small quiet", href: `#/organizations/${orgId}/contacts/${c.id}/edit`, "aria-label": `Edit ${c.name}` }, "Edit"))),
      c.title ? h("p", { class: "muted" }, c.title) : null,
      h("p", { class: "reach" },
        c.email ? h("a", { href: `mailto:${c.email}` }, c.email) : null,
        c.phone ? h("a", { href: `tel:${c.phone.replace(/[^+\d]/g, "")}` }, c.phone) : null,
        c.profile_url ? h("a", { href: c.profile_url, target: "_blank", rel: "noopener noreferrer", "aria-label": `Profile of ${c.name}` }, "Profile") : null))));
}

const NO_NEWS = "No news yet. Something they launched or announced makes a touch personal.";

function removeNews(orgId, n, item) {
  const button = h("button", { type: "button", class: "button small quiet", "aria-label": `Remove news: ${n.headline}` }, "Remove");
  button.addEventListener("click", async () => {
    const sure = await confirmChoice({
      title: "Remove this news item?",
      text: [`“${n.headline}” will no longer be mentioned in your scripts.`],
      yes: "Remove", no: "Keep", danger: true,
    });
    if (!sure) return;
    try {
      await request("DELETE", `/v1/organizations/${orgId}/news/${n.id}`);
    } catch (error) {
      item.append(h("p", { class: "form-alert", role: "alert" }, error.message));
      return;
    }
    const list = item.parentElement;
    const heading = document.getElementById("news-title");
    item.remove();
    if (!list.children.length) list.replaceWith(h("p", { class: "muted" }, NO_NEWS));
    heading.setAttribute("tabindex", "-1");
    heading.focus();
    announce("News removed.");
  });
  return button;
}

function newsList(orgId, news) {
  if (!news.length) return h("p", { class: "muted" }, NO_NEWS);
  return h("ul", { class: "news" }, news.map((n) => {
    const item = h("li", {});
    item.append(h("div", { class: "item-head" },
      h("p", {},
        n.url ? h("a", { href: n.url, target: "_blank", rel: "noopener noreferrer" }, n.headline) : h("span", {}, n.headline),
        h("span", { class: "muted" }, ` · ${day(n.noticed_on)}${n.tone !== "positive" ? ` · ${n.tone}` : ""}`)),
      removeNews(orgId, n, item)));
    return item;
  }));
}

export async function render(view, id) {
  const [org, contacts, news, attempts, actions, settings] = await Promise.all([
    get(`/v1/organizations/${id}`),
    all("/v1/contacts", { organization_id: id }),
    all(`/v1/organizations/${id}/news`),
    all("/v1/attempts", { organization_id: id }),
    get("/v1/next-actions", { organization_id: id, limit: 1 }),
    get("/v1/settings"),
  ]);
  attempts.sort((a, b) => new Date(a.occurred_at) - new Date(b.occurred_at));
  const action = actions.data[0] || null;
  const picture = h("div", { class: "timeline" });
  view.append(
    h("div", { class: "page-head" },
      h("p", { class: "crumbs" }, h("a", { href: "#/organizations" }, "Organizations")),
      h("div", { class: "title-row" },
        h("h1", {}, org.name),
        h("a", { class: "button small", href: `#/organizations/${id}/edit`, "aria-label": `Edit organization ${org.name}` }, "Edit organization")),
      h("p", { class: "muted" },
        h("span", { class: `badge status-${org.status}` }, STATUSES[org.status]),
        org.role_applied ? ` ${org.role_applied}` : "",
        standing(org) ? ` · ${standing(org)}` : "",
        action ? ` · ${PHASES[action.phase]} phase` : ""),
      org.paused_reason ? h("p", { class: "hint-note" }, org.paused_reason) : null,
      org.notes ? h("section", { "aria-label": "Notes" }, h("p", { class: "org-notes" }, org.notes)) : null),
    h("section", { class: "next-touch", "aria-labelledby": "next-title" },
      h("div", { class: "section-head" },
        h("h2", { id: "next-title" }, "Next touch"),
        h("a", { class: "button small", href: `#/organizations/${id}/log`, "aria-label": `Log a touch with ${org.name}` }, "Log a touch")),
      nextAction(org, action, contacts)),
    h("section", { class: "card", "aria-labelledby": "timeline-title" },
      h("h2", { id: "timeline-title" }, "Timeline"),
      picture,
      h("h3", { class: "touches-title" }, "Touches"),
      touchList(id, attempts, contacts)),
    h("div", { class: "columns" },
      h("section", { class: "card", "aria-labelledby": "contacts-title" },
        h("div", { class: "section-head" },
          h("h2", { id: "contacts-title" }, "Contacts"),
          h("a", { class: "button small", href: `#/organizations/${id}/contacts/new`, "aria-label": `Add contact at ${org.name}` }, "Add contact")),
        contactList(id, contacts)),
      h("section", { class: "card", "aria-labelledby": "news-title" },
        h("div", { class: "section-head" },
          h("h2", { id: "news-title" }, "News"),
          h("a", { class: "button small", href: `#/organizations/${id}/news/new`, "aria-label": `Add news about ${org.name}` }, "Add news")),
        newsList(id, news))),
  );
  // Drawn once the page is in place, at the width it has there.
  requestAnimationFrame(() => picture.append(timeline({ org, attempts, action, settings, contacts, width: picture.clientWidth })));
}

async function formPage(view, id, title, form) {
  const org = await get(`/v1/organizations/${id}`);
  view.classList.add("narrow");
  view.append(
    h("p", { class: "crumbs" }, h("a", { href: `#/organizations/${id}` }, org.name)),
    h("h1", {}, title),
    h("div", { class: "card" }, form));
  return org;
}

export async function addContact(view, id) {
  const form = h("form", { novalidate: true, "aria-label": "Add a contact" },
    field({ label: "Name", name: "name", required: true, attrs: { autocomplete: "off" } }),
    field({
      label: "Role", name: "role", required: true, value: "hiring_manager",
      options: Object.entries(ROLES),
      hint: "keepwarm reaches the hiring manager first, recruiters last.",
    }),
    field({ label: "Title", name: "title" }),
    field({ label: "Email", name: "email", type: "email", attrs: { autocomplete: "off" } }),
    field({ label: "Phone", name: "phone", type: "tel", attrs: { autocomplete: "off" } }),
    field({ label: "Profile URL", name: "profile_url", type: "url" }),
    field({ label: "Greet them as", name: "greeting_name", hint: "Optional: “Dr. Lee”, “Annie”. Default: their first name." }),
    zoneField({ label: "Their time zone", name: "timezone", hint: "Optional. Default: yours.", optional: true }),
    h("div", { class: "actions" },
      submit("Add contact"),
      h("a", { class: "button quiet", href: `#/organizations/${id}` }, "Cancel")));
  onSubmit(form, async (values) => {
    const contact = await post("/v1/contacts", { ...values, organization_id: id });
    announce(`${contact.name} added.`);
    go(`/organizations/${id}`);
  });
  await formPage(view, id, "Add a contact", form);
}

export async function addNews(view, id) {
  const form = h("form", { novalidate: true, "aria-label": "Add news" },
    field({ label: "Headline", name: "headline", required: true }),
    field({ label: "Link", name: "url", type: "url" }),
    field({ label: "Noticed on", name: "noticed_on", type: "date", hint: "Default: today. News older than your news window is not quoted." }),
    field({ label: "Tone", name: "tone", value: "positive", options: TONES }),
    field({
      label: "In your own words", name: "summary",
      hint: "Optional (“the restructuring”): what scripts say instead of a difficult headline.",
      attrs: { maxlength: "200" },
    }),
    h("div", { class: "actions" },
      submit("Add news"),
      h("a", { class: "button quiet", href: `#/organizations/${id}` }, "Cancel")));
  onSubmit(form, async (values) => {
    await post(`/v1/organizations/${id}/news`, values);
    announce("News added.");
    go(`/organizations/${id}`);
  });
  await formPage(view, id, "Add news", form);
}
