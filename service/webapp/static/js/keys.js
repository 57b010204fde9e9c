// The account's API keys (this browser's among them): when each was made and last used,
// and revoking the ones no longer wanted. Revoking this browser's own key signs out here.

import { ApiError, all, request, session } from "./api.js";
import { confirmChoice } from "./confirm.js";
import { h } from "./dom.js";
import { dateTime, day } from "./format.js";
import { announce, go } from "./navigate.js";
import { signOut } from "./pages/auth.js";

const TITLE_ID = "keys-title";

function used(key) {
  return key.last_used_at ? `last used ${dateTime(key.last_used_at)}` : "not used yet";
}

async function revoke(key, item) {
  const here = key.id === session.keyId;
  const sure = await confirmChoice({
    title: here ? "Revoke this browser’s key?" : "Revoke this key?",
    text: here
      ? ["You will be signed out here, and need your password to sign in again."]
      : [`“${key.name}” (created ${day(key.created_at)}) stops working at once: whatever uses it is signed out.`],
    yes: here ? "Revoke and sign out" : "Revoke",
    no: "Keep",
    danger: true,
  });
  if (!sure) return;
  if (here) {
    await signOut();
    announce("Key revoked: signed out.");
    go("/signin");
    return;
  }
  try {
    await request("DELETE", `/v1/api-keys/${encodeURIComponent(key.id)}`);
  } catch (error) {
    // Already gone (revoked elsewhere) is what was asked for.
    if (!(error instanceof ApiError) || error.status !== 404) {
      item.append(h("p", { class: "form-alert", role: "alert" }, error.message));
      return;
    }
  }
  const list = item.parentElement;
  item.remove();
  if (!list.children.length) list.replaceWith(h("p", { class: "muted" }, "No keys."));
  const heading = document.getElementById(TITLE_ID);
  heading.setAttribute("tabindex", "-1");
  heading.focus();
  announce(`“${key.name}” revoked.`);
}

function entry(key) {
  const here = key.id === session.keyId;
  const item = h("li", {});
  const button = h("button", {
    type: "button",
    class: "button small quiet",
    "aria-label": here ? `Revoke ${key.name} (this browser)` : `Revoke ${key.name}, created ${dateTime(key.created_at)}`,
  }, "Revoke");
  button.addEventListener("click", () => revoke(key, item));
  item.append(
    h("div", { class: "item-head" },
      h("p", { class: "person" }, h("strong", {}, key.name), here ? [" ", h("span", { class: "badge here" }, "This browser")] : null),
      button),
    h("p", { class: "muted" }, `Created ${day(key.created_at)} · ${used(key)}`));
  return item;
}

// The section, once the keys are read.
export async function keysSection() {
  const keys = await all("/v1/api-keys");
  return h("section", { class: "card", "aria-labelledby": TITLE_ID },
    h("h2", { id: TITLE_ID }, "Signed-in apps and keys"),
    h("p", { class: "muted" }, "Each sign-in, here or in another app, holds a key of its own. Revoke the ones you no longer use: they stop working at once."),
    keys.length ? h("ul", { class: "people keys" }, keys.map(entry)) : h("p", { class: "muted" }, "No keys."));
}
