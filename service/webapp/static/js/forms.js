// Labelled fields, and API problems shown next to the field they name.

import { ApiError } from "./api.js";
import { h, uid } from "./dom.js";

// field({label, name, type, value, hint, required, options: [[value, text]], rows, attrs})
export function field(spec) {
  const id = uid(`f-${spec.name.replace(/[^\w-]/g, "-")}`);
  const described = [];
  let hint = null;
  if (spec.hint) {
    hint = h("p", { class: "hint", id: `${id}-hint` }, spec.hint);
    described.push(hint.id);
  }
  const common = {
    id,
    name: spec.name,
    required: spec.required,
    "aria-describedby": described.join(" ") || null,
    ...(spec.attrs || {}),
  };
  let control;
  if (spec.options) {
    control = h(
      "select",
      common,
      spec.options.map(([value, text]) => h("option", { value, selected: String(spec.value ?? "") === String(value) }, text)),
    );
  } else if (spec.type === "textarea") {
    control = h("textarea", { rows: spec.rows || 4, ...common }, spec.value ?? "");
  } else {
    control = h("input", { type: spec.type || "text", value: spec.value ?? null, ...common });
  }
  control.dataset.kind = spec.type || (spec.options ? "select" : "text");
  const label = h("label", { for: id }, spec.label, spec.required ? h("span", { class: "required" }, " (required)") : null);
  return h("div", { class: "field" }, label, hint, control);
}

// The form's values for the API: empty text is null, numbers are numbers.
export function values(form) {
  const result = {};
  for (const control of form.elements) {
    if (!control.name || control.disabled) continue;
    if (control.type === "file" || control.type === "submit") continue;
    if (control.type === "checkbox") {
      result[control.name] = control.checked;
      continue;
    }
    if (control.type === "radio") {
      if (control.checked) result[control.name] = control.value;
      continue;
    }
    const raw = control.value.trim();
    if (raw === "") result[control.name] = null;
    else if (control.type === "number") result[control.name] = Number(raw);
    else result[control.name] = raw;
  }
  return result;
}

export function clearErrors(form) {
  for (const node of form.querySelectorAll(".field-error, .form-alert")) node.remove();
  for (const control of form.querySelectorAll("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
    const ids = (control.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && !x.endsWith("-error"));
    if (ids.length) control.setAttribute("aria-describedby", ids.join(" "));
    else control.removeAttribute("aria-describedby");
  }
}

function controlFor(form, name) {
  const candidates = [name, name.split(".").pop()];
  for (const candidate of candidates) {
    const control = form.elements.namedItem(candidate);
    if (control instanceof Element) return control;
  }
  return null;
}

// Each error names its field: its message goes under that field; the rest above the form.
export function showErrors(form, error) {
  clearErrors(form);
  const unplaced = [];
  let first = null;
  let summary = null;
  const errors = error instanceof ApiError ? error.fieldErrors : [];
  for (const item of errors) {
    const control = controlFor(form, String(item.field || ""));
    if (!control) {
      unplaced.push(item.field ? `${item.field}: ${item.message}` : item.message);
      continue;
    }
    const note = h("p", { class: "field-error", id: `${control.id}-error` }, item.message);
    control.after(note);
    control.setAttribute("aria-invalid", "true");
    const ids = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    control.setAttribute("aria-describedby", [...ids, note.id].join(" "));
    // Once changed, the field's error goes (and the summary, with the last one).
    control.addEventListener("change", () => {
      note.remove();
      control.removeAttribute("aria-invalid");
      if (ids.length) control.setAttribute("aria-describedby", ids.join(" "));
      else control.removeAttribute("aria-describedby");
      if (!form.querySelector("[aria-invalid]") && !unplaced.length) summary.remove();
    }, { once: true });
    first = first || control;
  }
  summary = h(
    "div",
    { class: "form-alert", role: "alert" },
    h("p", {}, errors.length ? "Please check the highlighted fields." : error.message),
    unplaced.length ? h("ul", {}, unplaced.map((text) => h("li", {}, text))) : null,
  );
  form.prepend(summary);
  if (first) {
    first.focus();
  } else {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
}

// On submit: busy button, errors cleared, handler(values) run, problems shown.
export function onSubmit(form, handler) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (button?.disabled) return;
    clearErrors(form);
    if (button) button.disabled = true;
    form.setAttribute("aria-busy", "true");
    try {
      await handler(values(form), event.submitter);
    } catch (error) {
      if (!(error instanceof ApiError)) console.error(error);
      if (form.isConnected) showErrors(form, error);
    } finally {
      form.removeAttribute("aria-busy");
      if (button) button.disabled = false;
    }
  });
  return form;
}

// choice({legend, name, value, options: [[value, text]], hint}): radio buttons in a fieldset.
export function choice(spec) {
  const id = uid(`c-${spec.name}`);
  const hint = spec.hint ? h("p", { class: "hint", id: `${id}-hint` }, spec.hint) : null;
  return h("fieldset", { class: "field choice", "aria-describedby": hint ? hint.id : null },
    h("legend", {}, spec.legend),
    hint,
    h("div", { class: "choice-row" }, spec.options.map(([value, text], index) => {
      const inputId = `${id}-${index}`;
      return h("span", { class: "choice-item" },
        h("input", { type: "radio", id: inputId, name: spec.name, value, checked: String(spec.value) === String(value) }),
        h("label", { for: inputId }, text));
    })));
}

export function submit(text, attrs = {}) {
  return h("button", { type: "submit", class: "button primary", ...attrs }, text);
}
