// A button that copies a text to the clipboard, and says so.

import { h } from "./dom.js";
import { announce } from "./navigate.js";

export function copyButton(text, what) {
  const button = h("button", { type: "button", class: "button small" }, `Copy ${what}`);
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
      announce(`${what[0].toUpperCase()}${what.slice(1)} copied.`);
    } catch {
      button.textContent = "Copy failed: select the text";
    }
    window.setTimeout(() => {
      button.textContent = `Copy ${what}`;
    }, 2000);
  });
  return button;
}

// A titled block of text to say or send, with its copy button.
export function copyBlock(title, text, what) {
  return h("section", { class: "copy-block" },
    h("div", { class: "copy-head" }, h("h4", {}, title), copyButton(text, what)),
    h("p", { class: "script-text" }, text));
}
