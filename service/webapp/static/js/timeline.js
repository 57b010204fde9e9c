// The cadence at a glance: every touch and the planned next one, on the phases they fall in.
//
// Phases follow the cadence rules: none of the outbound touches since the No yet -> initial
// ("first touch"), the first `warm_touches` -> warm, then maintenance; while an opening is
// discussed, the opening phase. A call nobody answered is not a touch.

import { h, svg, uid } from "./dom.js";
import { CHANNELS, OUTCOMES, day, dateTime } from "./format.js";

const DAY = 86400000;
const HEIGHT = 150;
const TOP = 30;
const BOTTOM = 112;
const LANE = 72;

function every(days) {
  if (days >= 45) return `every ~${Math.round(days / 30)} months`;
  if (days >= 14) return `every ~${Math.round(days / 7)} weeks`;
  return days === 7 ? "every week" : `every ${days} days`;
}

function isTouch(attempt) {
  return !(attempt.channel === "call" && attempt.outcome === "no_answer");
}

// [{phase, label, from, to}] over [start, end].
export function phases(org, attempts, action, settings, start, end) {
  const since = org.rejected_on ? Date.parse(`${org.rejected_on}T00:00:00Z`) : -Infinity;
  const outbound = attempts
    .filter((a) => a.direction === "outbound" && isTouch(a) && Date.parse(a.occurred_at) >= since)
    .map((a) => Date.parse(a.occurred_at));
  const bands = [];
  const cut = (phase, label, from, to) => {
    if (to > from) bands.push({ phase, label, from, to });
  };
  const firstWarm = outbound[0] ?? end;
  const firstMaintenance = outbound[settings.warm_touches] ?? end;
  cut("initial", "First touch", start, Math.min(firstWarm, end));
  if (settings.warm_touches > 0) cut("warm", `Warm · ${every(settings.warm_days)}`, firstWarm, Math.min(firstMaintenance, end));
  cut("maintenance", `Maintenance · ${every(settings.maintenance_days)}`, settings.warm_touches > 0 ? firstMaintenance : firstWarm, end);
  if (org.status === "opening" || action?.phase === "opening") {
    const discussed = attempts.filter((a) => a.outcome === "opening_discussed").map((a) => Date.parse(a.occurred_at));
    const from = discussed.length ? Math.max(...discussed) : start;
    const kept = bands.filter((b) => b.from < from).map((b) => ({ ...b, to: Math.min(b.to, from) }));
    return [...kept, { phase: "opening", label: `Opening · ${every(settings.opening_days)}`, from, to: end }];
  }
  return bands;
}

function ticks(start, end) {
  const out = [];
  const first = new Date(start);
  const cursor = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1));
  const months = (end - start) / (30 * DAY);
  const step = months > 14 ? 3 : months > 7 ? 2 : 1;
  while (cursor.getTime() < end) {
    out.push(cursor.getTime());
    cursor.setUTCMonth(cursor.getUTCMonth() + step);
  }
  return out;
}

export function timeline({ org, attempts, action, settings, contacts, width }) {
  const W = Math.max(300, Math.round(width || 640));
  const now = Date.now();
  const names = Object.fromEntries(contacts.map((c) => [c.id, c.name]));
  const times = attempts.map((a) => Date.parse(a.occurred_at));
  const start = Math.min(org.rejected_on ? Date.parse(`${org.rejected_on}T00:00:00Z`) : Date.parse(org.created_at), ...times, now);
  const planned = action ? [Date.parse(action.due_at), Date.parse(`${action.window_end}T23:59:59Z`)] : [];
  let end = Math.max(now, ...times, ...planned);
  end += Math.max((end - start) * 0.06, 5 * DAY);
  const x = (t) => 12 + ((t - start) / (end - start)) * (W - 24);

  const titleId = uid("timeline-title");
  const descId = uid("timeline-desc");
  const bands = phases(org, attempts, action, settings, start, end);
  const described = [
    `${attempts.length} touch${attempts.length === 1 ? "" : "es"} since ${day(new Date(start).toISOString())}.`,
    `Phases: ${bands.map((b) => `${b.label.split(" · ")[0]} from ${day(new Date(b.from).toISOString())}`).join("; ")}.`,
    action ? `Next touch planned ${dateTime(action.due_at)}.` : "No next touch planned.",
  ].join(" ");

  const picture = svg("svg", {
    class: "timeline-svg", width: W, height: HEIGHT, viewBox: `0 0 ${W} ${HEIGHT}`,
    role: "img", "aria-labelledby": `${titleId} ${descId}`,
  },
  svg("title", { id: titleId }, `Timeline of touches with ${org.name}`),
  svg("desc", { id: descId }, described),
  bands.map((b) => svg("g", { class: `band band-${b.phase}` },
    svg("rect", { x: x(b.from), y: TOP, width: Math.max(0, x(b.to) - x(b.from)), height: BOTTOM - TOP }),
    x(b.to) - x(b.from) > 70 ? svg("text", { x: x(b.from) + 6, y: TOP - 8, class: "band-label" }, x(b.to) - x(b.from) > 170 ? b.label : b.label.split(" · ")[0]) : null)),
  svg("line", { x1: 12, x2: W - 12, y1: LANE, y2: LANE, class: "lane" }),
  ticks(start, end).map((t) => svg("g", { class: "tick" },
    svg("line", { x1: x(t), x2: x(t), y1: BOTTOM, y2: BOTTOM + 5 }),
    svg("text", { x: x(t), y: BOTTOM + 18, "text-anchor": "middle" },
      new Intl.DateTimeFormat(undefined, { month: "short", timeZone: "UTC", ...(new Date(t).getUTCMonth() === 0 ? { year: "numeric" } : {}) }).format(new Date(t))))),
  svg("g", { class: "today" },
    svg("line", { x1: x(now), x2: x(now), y1: TOP - 2, y2: BOTTOM + 2 }),
    svg("text", { x: x(now), y: BOTTOM + 34, "text-anchor": "middle" }, "today")),
  action ? svg("g", { class: "planned" },
    svg("rect", {
      class: "window", x: x(Date.parse(`${action.window_start}T00:00:00Z`)), y: LANE - 5, rx: 5,
      width: Math.max(4, x(Date.parse(`${action.window_end}T23:59:59Z`)) - x(Date.parse(`${action.window_start}T00:00:00Z`))), height: 10,
    }),
    svg("circle", { class: "planned-mark", cx: x(Date.parse(action.due_at)), cy: LANE, r: 8 },
      svg("title", {}, `Next: ${CHANNELS[action.channel]} ${names[action.contact_id] || ""}, ${dateTime(action.due_at)}`)),
    svg("text", { x: x(Date.parse(action.due_at)), y: LANE - 14, "text-anchor": "middle", class: "planned-label" }, "next")) : null,
  attempts.map((a) => {
    const kind = !isTouch(a) ? "missed" : a.direction;
    const text = `${dateTime(a.occurred_at)}: ${CHANNELS[a.channel]} ${a.direction === "inbound" ? "from" : "to"} ${names[a.contact_id] || "someone"}${a.outcome ? ` (${OUTCOMES[a.outcome].toLowerCase()})` : ""}`;
    return svg("circle", { class: `touch touch-${kind}`, cx: x(Date.parse(a.occurred_at)), cy: LANE, r: kind === "missed" ? 4 : 6 }, svg("title", {}, text));
  }));

  const legend = h("ul", { class: "legend", "aria-label": "Legend" },
    h("li", {}, h("span", { class: "key key-outbound", "aria-hidden": "true" }), "Your touch"),
    h("li", {}, h("span", { class: "key key-inbound", "aria-hidden": "true" }), "They reached you"),
    h("li", {}, h("span", { class: "key key-missed", "aria-hidden": "true" }), "No answer"),
    h("li", {}, h("span", { class: "key key-planned", "aria-hidden": "true" }), "Next, with its window"));
  return h("figure", { class: "timeline-figure" }, h("div", { class: "timeline-scroll" }, picture), legend);
}
