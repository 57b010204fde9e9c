// Today: the first-run checklist while there is one, the agenda, each action ready to act on.

import { get } from "../api.js";
import { card } from "../action-card.js";
import { checklist } from "../checklist.js";
import { h } from "../dom.js";
import { PROBLEMS } from "../format.js";

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
  const [agenda, firstRun] = await Promise.all([get("/v1/agenda", { days: 7 }), checklist()]);
  const { overdue, today, upcoming } = agenda.counts;
  const items = agenda.items;
  view.append(
    h("div", { class: "page-head" },
      h("h1", {}, "Today"),
      h("p", { class: "lead" }, items.length
        ? `${overdue} overdue, ${today} due today, ${upcoming} coming up this week.`
        : firstRun
          ? "Welcome. A few short steps, and keepwarm plans your first friendly touch."
          : "Nothing due this week. A good moment to add news or people.")),
    firstRun || "",
    attention(agenda.attention) || "",
    items.length
      ? h("section", { "aria-label": "Actions" }, items.map((item) => card(item, agenda.now)))
      : firstRun ? "" : h("div", { class: "card empty" },
          h("p", {}, "You are all caught up."),
          h("p", {}, h("a", { class: "button", href: "#/organizations/new" }, "Add an organization"))),
  );
}
