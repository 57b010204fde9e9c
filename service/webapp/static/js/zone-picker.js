// A time zone chosen from the IANA names the browser knows, never typed.

import { h } from "./dom.js";
import { field } from "./forms.js";

export function zoneNames() {
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return known.includes("UTC") ? known : ["UTC", ...known];
}

export function browserZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

// zoneField({label, name, value, hint, optional}): a <select> grouped by region; the current
// value is kept even if this browser does not list it.
export function zoneField({ label, name, value, hint, optional = false }) {
  const names = zoneNames();
  if (value && !names.includes(value)) names.unshift(value);
  const built = field({ label, name, value, hint, options: [] });
  const select = built.querySelector("select");
  if (optional) select.append(h("option", { value: "" }, "Same as mine"));
  const groups = new Map();
  for (const zone of names) {
    const region = zone.includes("/") ? zone.split("/")[0] : "Other";
    if (!groups.has(region)) groups.set(region, []);
    groups.get(region).push(zone);
  }
  for (const [region, zones] of groups) {
    select.append(h("optgroup", { label: region },
      zones.map((zone) => h("option", { value: zone, selected: zone === value }, zone.replaceAll("_", " ")))));
  }
  select.value = value || "";
  return built;
}
