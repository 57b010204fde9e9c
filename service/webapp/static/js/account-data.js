// The account itself: export its data, change its password, delete it.

import { all, apiUrl, request, session } from "./api.js";
import { confirmChoice } from "./confirm.js";
import { h } from "./dom.js";
import { field, onSubmit, submit } from "./forms.js";
import { announce, go } from "./navigate.js";

function fileName(disposition) {
  const found = /filename="([^"]+)"/.exec(disposition || "");
  return found ? found[1] : "keepwarm-export.json";
}

export function exportSection() {
  const button = h("button", { type: "button", class: "button" }, "Download my data (JSON)");
  const note = h("p", { class: "muted", role: "status" });
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const response = await fetch(apiUrl("/v1/export"), { headers: { Authorization: `Bearer ${session.key}` }, cache: "no-store" });
      if (!response.ok) throw new Error(`The server answered ${response.status}.`);
      const blob = await response.blob();
      const link = h("a", { href: URL.createObjectURL(blob), download: fileName(response.headers.get("Content-Disposition")) });
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      note.textContent = `Downloaded ${link.download}.`;
    } catch (error) {
      note.textContent = error.message;
    } finally {
      button.disabled = false;
    }
  });
  return h("section", { class: "card", "aria-labelledby": "export-title" },
    h("h2", { id: "export-title" }, "Your data"),
    h("p", { class: "muted" }, "Everything in your account as one JSON file: organizations, news, contacts, touches, plans and settings. Import it here or into another keepwarm."),
    button, note);
}

export function passwordSection() {
  const form = h("form", { novalidate: true, "aria-labelledby": "password-title" },
    h("input", { type: "text", name: "username", autocomplete: "username", hidden: true, disabled: true }),
    field({ label: "Current password", name: "current_password", type: "password", required: true, attrs: { autocomplete: "current-password" } }),
    field({ label: "New password", name: "new_password", type: "password", required: true, hint: "At least 10 characters; not a common password.", attrs: { autocomplete: "new-password" } }),
    h("div", { class: "actions" }, submit("Change password"), h("p", { class: "saved", role: "status" })));
  onSubmit(form, async (values) => {
    await request("POST", "/v1/account/password", { json: values });
    form.reset();
    form.querySelector(".saved").textContent = "Password changed. Your signed-in apps stay signed in.";
  });
  return h("section", { class: "card", "aria-labelledby": "password-title" },
    h("h2", { id: "password-title" }, "Password"), form);
}

function count(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

async function losses() {
  const [organizations, contacts, touches] = await Promise.all([all("/v1/organizations"), all("/v1/contacts"), all("/v1/attempts")]);
  return `${count(organizations.length, "organization", "organizations")}, ${count(contacts.length, "contact", "contacts")} and ${count(touches.length, "logged touch", "logged touches")}`;
}

export function deleteSection(email) {
  const form = h("form", { novalidate: true, "aria-labelledby": "delete-title" },
    field({ label: "Your password, to confirm", name: "password", type: "password", required: true, attrs: { autocomplete: "current-password" } }),
    h("div", { class: "actions" }, submit("Delete my account", { class: "button danger" })));
  onSubmit(form, async (values) => {
    const sure = await confirmChoice({
      title: "Delete your account for good?",
      text: [
        `This deletes ${email} and everything in it: ${await losses()}, the news, every plan and script, your settings and profile, your webhooks, your calendar feed and every signed-in app.`,
        "It cannot be undone. Download your data first if you may want it again.",
      ],
      yes: "Delete everything", no: "Keep my account", danger: true,
    });
    if (!sure) return;
    await request("DELETE", "/v1/account", { json: values });
    session.clear();
    announce("Your account was deleted.");
    go("/signin");
  });
  return h("section", { class: "card danger-zone", "aria-labelledby": "delete-title" },
    h("h2", { id: "delete-title" }, "Delete your account"),
    h("p", { class: "muted" }, "Every record goes, for good, and every signed-in app is signed out."),
    form);
}
