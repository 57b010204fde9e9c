// Signing in (a key of this browser's own), signing up, and signing out (the key revoked).

import { ApiError, request, session } from "../api.js";
import { h } from "../dom.js";
import { field, onSubmit, submit } from "../forms.js";
import { deviceName } from "../device.js";
import { browserZone } from "../zone-picker.js";
import { reminderChoice, saveReminderChoice } from "../mail-settings.js";
import { announce, go } from "../navigate.js";

function frame(view, title, intro, form, other) {
  view.classList.add("narrow");
  view.append(
    h("div", { class: "welcome" },
      h("h1", {}, title),
      h("p", { class: "lead" }, intro),
      h("div", { class: "card" }, form),
      h("p", { class: "switch" }, other)),
  );
}

// What this server offers (GET /v1/server); if it cannot say, offer sign-up and let
// POST /v1/accounts answer, and no reminder emails.
async function server() {
  try {
    return (await request("GET", "/v1/server", { anonymous: true })).data;
  } catch {
    return { signup: "open", reminders: false };
  }
}

async function signupOpen() {
  return (await server()).signup !== "closed";
}

const CLOSED = "Accounts on this server are created by its operator: ask them for one.";

export async function signIn(view) {
  const form = h("form", { novalidate: true, "aria-label": "Sign in" },
    field({ label: "Email", name: "email", type: "email", required: true, attrs: { autocomplete: "username" } }),
    field({ label: "Password", name: "password", type: "password", required: true, attrs: { autocomplete: "current-password" } }),
    h("div", { class: "actions" }, submit("Sign in")),
  );
  onSubmit(form, async ({ email, password }) => {
    const { data } = await request("POST", "/v1/tokens", { anonymous: true, json: { email, password, name: deviceName() } });
    session.save(data.api_key, data.id);
    announce("Signed in.");
    go("/today");
  });
  const other = (await signupOpen())
    ? ["New here? ", h("a", { href: "#/signup" }, "Create an account")]
    : [CLOSED];
  frame(view, "Sign in", "Stay pleasantly persistent with the teams that said “not now”.", form, other);
}

export async function signUp(view) {
  const offers = await server();
  if (offers.signup === "closed") {
    frame(view, "Create an account", CLOSED, h("p", {}, "Already have an account? ",
      h("a", { href: "#/signin" }, "Sign in")), []);
    return;
  }
  const form = h("form", { novalidate: true, "aria-label": "Create an account" },
    field({ label: "Email", name: "email", type: "email", required: true, attrs: { autocomplete: "username" } }),
    field({
      label: "Password", name: "password", type: "password", required: true,
      hint: "At least 10 characters and hard to guess: a few uncommon words work well; not your email's name.",
      attrs: { autocomplete: "new-password" },
    }),
    offers.reminders ? reminderChoice() : null,
    h("div", { class: "actions" }, submit("Create account")),
  );
  onSubmit(form, async ({ email, password, reminders }) => {
    const { data } = await request("POST", "/v1/accounts", { anonymous: true, json: { email, password, key_name: deviceName() } });
    session.save(data.api_key, data.api_key_id);
    // The account's zone is this browser's (the API starts every account at UTC); a failure
    // here leaves UTC, which Settings can change.
    try {
      await request("PATCH", "/v1/settings", { json: { timezone: browserZone() } });
    } catch (error) {
      console.error(error);
    }
    await saveReminderChoice(reminders);
    announce("Account created.");
    go("/today");
  });
  frame(view, "Create an account", "keepwarm plans your next friendly touch with each organization, and drafts what to say.", form,
    ["Already have an account? ", h("a", { href: "#/signin" }, "Sign in")]);
}

// Revoke this browser's key, then forget it.
export async function signOut() {
  const keyId = session.keyId;
  try {
    if (keyId) await request("DELETE", `/v1/api-keys/${encodeURIComponent(keyId)}`);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) console.error(error);
  }
  session.clear();
}
