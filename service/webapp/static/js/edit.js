// Editing a record: a JSON merge patch of what changed, sent with the If-Match of what was
// read; a 412 means it changed elsewhere: the form reloads with the latest and says so.

import { ApiError, request } from "./api.js";

// Put a record's values back into the form's controls.
export function fill(form, data) {
  for (const control of form.elements) {
    if (!control.name || !(control.name in data)) continue;
    if (control.type === "radio") control.checked = control.value === String(data[control.name]);
    else control.value = data[control.name] ?? "";
  }
}

export function changes(values, data) {
  return Object.fromEntries(Object.entries(values).filter(([name, value]) => name in data && value !== (data[name] ?? null)));
}

// state: {data, etag}; what: "This organization". Resolves to the saved record.
export async function save(form, path, values, state, what) {
  try {
    const { data, etag } = await request("PATCH", path, { json: changes(values, state.data), headers: { "If-Match": state.etag } });
    Object.assign(state, { data, etag });
    return data;
  } catch (error) {
    if (error instanceof ApiError && error.status === 412) {
      const before = state.data;
      await reload(path, state);
      fill(form, state.data);
      throw changedElsewhere(error, what, labels(form, differences(before, state.data)));
    }
    throw error;
  }
}

export async function remove(path, state, what) {
  try {
    await request("DELETE", path, { headers: { "If-Match": state.etag } });
  } catch (error) {
    if (error instanceof ApiError && error.status === 412) await reload(path, state);
    throw changedElsewhere(error, what);
  }
}

async function reload(path, state) {
  const { data, etag } = await request("GET", path);
  Object.assign(state, { data, etag });
}

// The names of the fields whose value is not the same in both versions.
function differences(before, after) {
  return Object.keys(after).filter((name) => JSON.stringify(before[name] ?? null) !== JSON.stringify(after[name] ?? null));
}

// What the form calls those fields (the text of their labels), for the ones it shows.
function labels(form, names) {
  return names.flatMap((name) => {
    const control = form.elements.namedItem(name);
    const label = control instanceof HTMLElement ? control.labels?.[0] : null;
    return label ? [label.firstChild.textContent.trim()] : [];
  });
}

function changedElsewhere(error, what, changed = []) {
  if (!(error instanceof ApiError) || error.status !== 412) return error;
  const which = changed.length ? ` (${changed.join(", ")})` : "";
  return new ApiError(412, {
    detail: `${what} changed elsewhere meanwhile${which}. The form now shows the latest version: check it, redo your changes, then save again.`,
  });
}
