// Today: the agenda, each action ready to act on, and one tap to log it.

import { get, post } from "../api.js";
import { h } from "../dom.js";
import { CHANNELS, HINTS, OUTCOMES, PHASES, PROBLEMS, ROLES, dateTime, due } from "../format.js";
import { copyBlock } from "../copy.js";
import { onSubmit, field, submit } from "../forms.js";
import { announce } from "../navigate.js";

// The one-tap outcomes that fit each channel (the API refuses the others).
const QUICK = {
  email: ["sent", "replied"],
  message: ["sent", "replied"],
  call: ["conversation", "left_voicemail", "no_answer"],
  voicemail: ["left_voicemail"],
  in_person: ["conversation"],
};
const FITS = {
  email: ["sent", "replied", "opening_discussed", "asked_to_stop"],
  message: ["sent", "replied", "opening_discussed", "asked_to_stop"],
  call: ["conversation", "left_voicemail", "no_answer", "opening_discussed", "asked_to_stop"],
  voicemail: ["left_voicemail", "sent"],
  in_person: ["conversation", "opening_discussed", "asked_to_stop"],
};

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
  const blocks = [];
  if (s.subject) blocks.push(copyBlock("Subject", s.subject, "subject"));
  const title = item.channel === "call" ? "What to say" : item.channel === "email" ? "Email" : "Script";
  blocks.push(copyBlock(title, s.text, "script"));
  if (s.voicemail) blocks.push(copyBlock("If nobody answers: voicemail", s.voicemail, "voicemail"));
  if (s.responses.length) {
    blocks.push(h("section", { class: "responses" },
      h("h4", {}, "If…"),
      h("dl", {}, s.responses.map((r) => [h("dt", {}, r.when), h("dd", {}, r.say)]))));
  }
  return blocks;
}

function logForm(item, done) {
  const base = {
    contact_id: item.contact_id,
    channel: item.channel,
    next_action_id: item.id,
    script_variant: item.script.variant,
    news_id: item.news_id,
  };
  const quick = h("div", { class: "log-quick", role: "group", "aria-label": `Log the touch with ${item.contact.name}` },
    QUICK[item.channel].map((outcome) => {
      const button = h("button", { type: "button", class: "button primary" }, OUTCOMES[outcome]);
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
  const more = h("form", { class: "log-more", "aria-label": "Log another outcome" },
    field({ label: "Channel", name: "channel", value: item.channel, options: Object.entries(CHANNELS) }),
    field({ label: "Outcome", name: "outcome", options: [["", "Choose…"], ...FITS[item.channel].map((o) => [o, OUTCOMES[o]])] }),
    field({ label: "They asked me to follow up on", name: "follow_up_on", type: "date" }),
    field({ label: "Notes", name: "notes", type: "textarea", rows: 2 }),
    h("div", { class: "actions" }, submit("Log it")));
  onSubmit(more, async (values) => {
    done(await post("/v1/attempts", { ...base, ...values }));
  });
  return h("div", { class: "log" },
    h("h4", {}, "Done? Log it"),
    quick,
    h("details", {}, h("summary", {}, "Something else happened"), more));
}

async function nextFor(organizationId) {
  const page = await get("/v1/next-actions", { organization_id: organizationId, limit: 1 });
  return page.data[0] || null;
}

function card(item, now) {
  const overdue = new Date(item.due_at) < new Date(now);
  const heading = h("h3", {}, h("a", { href: `#/organizations/${item.organization.id}` }, item.organization.name));
  const article = h("article", { class: `card action${overdue ? " overdue" : ""}` },
    h("header", { class: "action-head" },
      heading,
      h("p", { class: "who" },
        h("span", { class: "badge channel" }, CHANNELS[item.channel]),
        ` ${item.contact.name} · ${ROLES[item.contact.role]}`),
      h("p", { class: `when${overdue ? " late" : ""}` }, due(item.due_at, now), ` · ${PHASES[item.phase]}`)),
    h("p", { class: "reason" }, item.reason),
    item.hints.map((hint) => h("p", { class: "hint-note" }, HINTS[hint] || hint)),
    links(item),
    script(item));
  heading.id = `action-${item.id}`;
  article.setAttribute("aria-labelledby", heading.id);
  article.append(logForm(item, async (attempt) => {
    const next = await nextFor(item.organization.id);
    const summary = next
      ? `Next: ${CHANNELS[next.channel].toLowerCase()} ${dateTime(next.due_at)}. ${next.reason}`
      : "Nothing more is planned for now.";
    const note = h("div", { class: "logged", role: "status" },
      h("p", { class: "logged-title" }, `Logged: ${OUTCOMES[attempt.outcome] || CHANNELS[attempt.channel]}.`),
      h("p", { class: "next-action" }, summary),
      h("p", {}, h("a", { href: `#/organizations/${item.organization.id}` }, `See ${item.organization.name}`)));
    article.replaceChildren(heading, note);
    article.classList.add("done");
    heading.setAttribute("tabindex", "-1");
    heading.focus();
    announce(`Logged. ${summary}`);
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
    attention(agenda.attention),
    items.length
      ? h("section", { "aria-label": "Actions" }, items.map((item) => card(item, agenda.now)))
      : h("div", { class: "card empty" },
          h("p", {}, "You are all caught up."),
          h("p", {}, h("a", { class: "button", href: "#/organizations/new" }, "Add an organization"))),
  );
}
