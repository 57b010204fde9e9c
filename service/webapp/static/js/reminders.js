// How this account is reminded, as far as the web app can tell: the calendar feed counts once
// its URL was copied or opened here (the API cannot know a calendar subscribed).

import { get } from "./api.js";

const PREFIX = "keepwarm.reminded-by.";
let accountId = null;

export async function account() {
  if (!accountId) accountId = (await get("/v1/me")).id;
  return accountId;
}

export async function noteCalendarAdded() {
  window.localStorage.setItem(`${PREFIX}${await account()}`, "calendar");
}

export async function calendarAdded() {
  return window.localStorage.getItem(`${PREFIX}${await account()}`) === "calendar";
}

export function forgetAccount() {
  accountId = null;
}
