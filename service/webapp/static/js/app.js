// The web app's entry: routes, the signed-in frame, focus after each navigation.

import { ApiError, request, session, whenUnauthorized } from "./api.js";
import { h } from "./dom.js";
import { setTimeZone } from "./format.js";
import { setPreferences } from "./zone.js";
import { installMenu } from "./menu.js";
import { announce, go } from "./navigate.js";
import * as auth from "./pages/auth.js";
import * as importPage from "./pages/import.js";
import * as contactEdit from "./pages/contact-edit.js";
import * as organization from "./pages/organization.js";
import * as organizationEdit from "./pages/organization-edit.js";
import * as organizations from "./pages/organizations.js";
import * as settings from "./pages/settings.js";
import * as today from "./pages/today.js";
import * as touch from "./pages/touch.js";
import { forgetAccount } from "./reminders.js";

const ROUTES = [
  [/^\/signin$/, auth.signIn, "public"],
  [/^\/signup$/, auth.signUp, "public"],
  [/^\/today$/, today.render, "today"],
  [/^\/organizations$/, organizations.list, "organizations"],
  [/^\/organizations\/new$/, organizations.create, "organizations"],
  [/^\/organizations\/([\w-]+)$/, organization.render, "organizations"],
  [/^\/organizations\/([\w-]+)\/contacts\/new$/, organization.addContact, "organizations"],
  [/^\/organizations\/([\w-]+)\/news\/new$/, organization.addNews, "organizations"],
  [/^\/organizations\/([\w-]+)\/edit$/, organizationEdit.render, "organizations"],
  [/^\/organizations\/([\w-]+)\/log$/, touch.log, "organizations"],
  [/^\/organizations\/([\w-]+)\/touches\/([\w-]+)\/edit$/, touch.edit, "organizations"],
  [/^\/organizations\/([\w-]+)\/contacts\/([\w-]+)\/edit$/, contactEdit.render, "organizations"],
  [/^\/import$/, importPage.render, "import"],
  [/^\/settings$/, settings.render, "settings"],
];

const main = document.getElementById("main");
const nav = document.getElementById("nav");
const menu = installMenu(nav);

let loadedZone = false;
async function loadZone() {
  if (loadedZone) return;
  const { data } = await request("GET", "/v1/settings");
  setTimeZone(data.timezone);
  setPreferences(data);
  loadedZone = true;
}

let generation = 0;
async function route() {
  const hash = window.location.hash;
  // Only "#/…" is a route; any other fragment points inside the page shown (once one is).
  if (hash && !hash.startsWith("#/") && generation > 0) return undefined;
  const path = hash.startsWith("#/") ? hash.slice(1).split("?")[0] : "/today";
  const match = ROUTES.map(([pattern, page, section]) => [path.match(pattern), page, section]).find(([found]) => found);
  const signedIn = Boolean(session.key);
  if (!signedIn) {
    loadedZone = false;
    forgetAccount();
  }
  if (!match) return go(signedIn ? "/today" : "/signin");
  const [found, page, section] = match;
  if (section !== "public" && !signedIn) return go("/signin");
  if (section === "public" && signedIn) return go("/today");
  nav.hidden = !signedIn;
  menu.close();
  for (const item of nav.querySelectorAll("a[data-section]")) {
    if (item.dataset.section === section) item.setAttribute("aria-current", "page");
    else item.removeAttribute("aria-current");
  }
  const mine = ++generation;
  const view = h("div", { class: "page" });
  try {
    if (signedIn) await loadZone();
    await page(view, ...found.slice(1));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return undefined;
    view.replaceChildren(
      h("h1", {}, "Something went wrong"),
      h("p", { class: "form-alert", role: "alert" }, error.message || String(error)),
      h("p", {}, h("a", { href: "#/today" }, "Back to today")),
    );
  }
  if (mine !== generation) return undefined;
  main.replaceChildren(view);
  const heading = view.querySelector("h1");
  document.title = heading ? `${heading.textContent} · keepwarm` : "keepwarm";
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
  window.scrollTo(0, 0);
  return undefined;
}

// The skip link moves focus to the page's content, and leaves the route alone.
document.querySelector(".skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  main.focus();
});

whenUnauthorized(() => {
  session.clear();
  go("/signin");
});

document.getElementById("sign-out").addEventListener("click", async () => {
  await auth.signOut();
  announce("Signed out.");
  go("/signin");
});

window.addEventListener("hashchange", route);
route();
