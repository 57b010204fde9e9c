// The report of a connections import: counts, who is (or would be) added where, new
// organizations (watching), who is skipped and why, which rows are refused.

import { h } from "./dom.js";

const WATCHING =
  "They come in as watching: people you know, no follow-ups planned until you say they said no.";

function plural(n, one, many) {
  return n === 1 ? one : many;
}

function count(n, label, why) {
  return h("li", {}, h("strong", {}, String(n)), ` ${label}`, why ? ` (${why})` : null);
}

// Skipped rows say who was there already (a contact) or the earlier line of the file.
function skippedWhy(skipped) {
  const there = skipped.filter((row) => row.contact_id).length;
  const repeated = skipped.length - there;
  return [
    there ? `${there} already in your account` : null,
    repeated ? `${repeated} repeated in the file` : null,
  ].filter(Boolean).join(", ");
}

function section(title, ...children) {
  return h("div", {}, h("h3", {}, title), ...children);
}

function added(result) {
  return section(result.dry_run ? "Who would be added, where" : "Who was added, where",
    h("ul", {}, result.added.map((row) => h("li", {},
      `Line ${row.line}: `, h("strong", {}, row.name), ` at ${row.organization}`,
      row.new_organization ? " (new, watching)" : ""))));
}

function newOrganizations(result) {
  return section(result.dry_run ? "New organizations it would add" : "New organizations",
    h("p", {}, WATCHING),
    h("ul", {}, result.new_organizations.map((name) => h("li", {}, name))));
}

export function report(result) {
  const { contacts, organizations } = result.created;
  return h("section", { class: "card report", "aria-labelledby": "report-title" },
    h("h2", { id: "report-title" }, result.dry_run ? "What the import would do" : "Imported"),
    h("ul", { class: "counts" },
      count(contacts, `${plural(contacts, "contact", "contacts")} ${result.dry_run ? "to add" : "added"}`),
      count(organizations, `new ${plural(organizations, "organization", "organizations")}`),
      count(result.skipped.length, "skipped", skippedWhy(result.skipped)),
      count(result.errors.length, "refused")),
    result.new_organizations.length ? newOrganizations(result) : null,
    result.added.length ? added(result) : null,
    result.skipped.length
      ? section("Skipped", h("ul", {}, result.skipped.map((row) => h("li", {}, `Line ${row.line}: ${row.name} — ${row.reason}`)))) : null,
    result.errors.length
      ? section("Refused", h("ul", {}, result.errors.map((row) => h("li", {}, `Line ${row.line}, ${row.field}: ${row.message}`)))) : null);
}
