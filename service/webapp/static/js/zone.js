// Wall-clock times in the account's time zone, turned into instants the API can store.

let zone = "UTC";
let preferredHour = 10;

export function setPreferences(settings) {
  zone = settings.timezone || "UTC";
  if (Number.isInteger(settings.preferred_hour)) preferredHour = settings.preferred_hour;
}

export function zoneName() {
  return zone;
}

function parts(instant) {
  const format = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone, hourCycle: "h23",
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  return Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
}

// How far the zone's clock is ahead of UTC at that instant, in milliseconds.
function offsetAt(ms) {
  const p = parts(new Date(ms));
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - Math.floor(ms / 1000) * 1000;
}

// "2026-12-14", "10:00" in the account's zone -> a Date.
export function instantAt(date, time) {
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const first = wall - offsetAt(wall);
  return new Date(wall - offsetAt(first));
}

// The local date and time of an instant, as a datetime-local input writes them.
export function localInput(instant) {
  const p = parts(new Date(instant));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

function addDays(date, days) {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

// `days` from today at the preferred hour, a weekend moved to Monday (as the API plans slots).
export function slotIn(days, now = new Date()) {
  let date = addDays(localInput(now).slice(0, 10), days);
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  if (weekday === 6) date = addDays(date, 2);
  if (weekday === 0) date = addDays(date, 1);
  return instantAt(date, `${String(preferredHour).padStart(2, "0")}:00`);
}
