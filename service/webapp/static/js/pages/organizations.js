// Organizations: the list (with search) and the form to add one.

import { all, post } from "../api.js";
import { h } from "../dom.js";
import { STATUSES, standing } from "../format.js";
import { choice, field, onSubmit, submit } from "../forms.js";
import { announce, go } from "../navigate.js";

export async function list(view) {
  const query = new URLSearchParams(window.location.hash.split("?")[1] || "");
  const q = query.get("q") || "";
  const organizations = await all("/v1/organizations", { q });
  const search = h("form", { class: "search", role: "search" },
    field({ label: "Search organizations", name: "q", type: "search", value: q }),
    h("button", { type: "submit", class: "button" }, "Search"));
  search.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = search.elements.namedItem("q").value.trim();
    go(value ? `/organizations?q=${encodeURIComponent(value)}` : "/organizations");
  });
  view.append(
    h("div", { class: "page-head with-action" },
      h("h1", {}, "Organizations"),
      h("a", { class: "button primary", href: "#/organizations/new" }, "Add organization")),
    search,
    organizations.length
      ? h("ul", { class: "org-list" }, organizations.map((org) =>
          h("li", { class: "card" },
            h("h2", {}, h("a", { href: `#/organizations/${org.id}` }, org.name)),
            h("p", { class: "muted" },
              h("span", { class: `badge status-${org.status}` }, STATUSES[org.status]),
              org.role_applied ? ` ${org.role_applied}` : "",
              standing(org) ? ` · ${standing(org)}` : ""))))
      : h("p", { class: "card empty" }, q ? `No organization matches “${q}”.` : "No organizations yet. Add the first one that said “not now”."),
  );
}

const STANCES = [["nurturing", "They said no"], ["watching", "We haven’t talked about a job"]];

export async function create(view) {
  const stance = choice({
    legend: "Where things stand", name: "status", value: "nurturing", options: STANCES,
    hint: "Knowing people there is reason enough to keep in touch; keepwarm plans touches only once they said no.",
  });
  const rejected = field({ label: "The day they said no", name: "rejected_on", type: "date", hint: "Your first friendly touch is planned from this day." });
  // The day only matters once they said no.
  stance.addEventListener("change", () => {
    const watching = stance.querySelector("input:checked")?.value === "watching";
    rejected.hidden = watching;
    rejected.querySelector("input").disabled = watching;
  });
  const form = h("form", { novalidate: true, "aria-labelledby": "new-org-title" },
    field({ label: "Name", name: "name", required: true, attrs: { autocomplete: "organization" } }),
    field({ label: "Role you applied for", name: "role_applied" }),
    stance,
    rejected,
    field({ label: "Website", name: "website", type: "url" }),
    field({ label: "Notes", name: "notes", type: "textarea", rows: 3 }),
    h("div", { class: "actions" },
      submit("Add organization"),
      h("a", { class: "button quiet", href: "#/organizations" }, "Cancel")));
  onSubmit(form, async (values) => {
    const org = await post("/v1/organizations", values);
    announce(`${org.name} added.`);
    go(`/organizations/${org.id}`);
  });
  view.classList.add("narrow");
  view.append(h("h1", { id: "new-org-title" }, "Add an organization"), h("div", { class: "card" }, form));
}
