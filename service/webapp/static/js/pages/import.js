// Import a LinkedIn connections CSV: a dry run first, its report, then the real import.

import { ApiError, request } from "../api.js";
import { h } from "../dom.js";
import { field, onSubmit, submit } from "../forms.js";
import { report } from "../import-report.js";
import { announce } from "../navigate.js";

async function send(text, dryRun) {
  const { data } = await request("POST", "/v1/contacts/import", {
    query: { dry_run: dryRun ? "true" : "false" },
    body: text,
    headers: { "Content-Type": "text/csv; charset=utf-8" },
  });
  return data;
}

export async function render(view) {
  const out = h("div", { class: "import-result" });
  const form = h("form", { novalidate: true, "aria-label": "Import connections" },
    field({
      label: "LinkedIn connections file (CSV)", name: "file", type: "file", required: true,
      hint: "On LinkedIn: Settings → Data privacy → Get a copy of your data → Connections.",
      attrs: { accept: ".csv,text/csv" },
    }),
    h("div", { class: "actions" }, submit("Check the file")));
  let text = null;
  onSubmit(form, async () => {
    const file = form.elements.namedItem("file").files[0];
    if (!file) {
      throw new ApiError(422, { detail: "Choose a file.", errors: [{ field: "file", message: "Choose a CSV file first." }] });
    }
    text = await file.text();
    const result = await send(text, true);
    const confirm = h("button", { type: "button", class: "button primary" },
      result.created.contacts ? `Import ${result.created.contacts} contact${result.created.contacts === 1 ? "" : "s"}` : "Nothing to import");
    confirm.disabled = !result.created.contacts;
    confirm.addEventListener("click", async () => {
      confirm.disabled = true;
      try {
        const done = await send(text, false);
        out.replaceChildren(report(done), h("p", {}, h("a", { href: "#/organizations" }, "See your organizations")));
        announce(`Imported ${done.created.contacts} contacts.`);
        out.querySelector("h2").setAttribute("tabindex", "-1");
        out.querySelector("h2").focus();
      } catch (error) {
        confirm.disabled = false;
        out.append(h("p", { class: "form-alert", role: "alert" }, error.message));
      }
    });
    out.replaceChildren(report(result), h("div", { class: "actions" }, confirm));
    announce("Checked: nothing written yet.");
    out.querySelector("h2").setAttribute("tabindex", "-1");
    out.querySelector("h2").focus();
  });
  view.classList.add("narrow");
  view.append(
    h("h1", {}, "Import contacts"),
    h("p", { class: "lead" }, "Bring in the people you know from LinkedIn. keepwarm checks the file first and writes nothing until you confirm."),
    h("div", { class: "card" }, form),
    out);
}
