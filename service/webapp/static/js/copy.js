// A button that copies a text to the clipboard, and says so.

import { h } from "./dom.js";
import { announce } from "./navigate.js";

// The visible text stays short ("Copy script"); its name also says whose it is ("Copy
// script for Ann Lee"), so a screen reader can tell the buttons of each card apart.
export function copyButton(text, what, whose) {
  const button = h("button", { type: "button", class: "button small" });
  const show = (visible, name) => {
    button.textContent = visible;
    button.setAttribute("aria-label", name);
  };
  const idle = () => show(`Copy ${what}`, `Copy ${what} for ${whose}`);
  idle();
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text);
      show("Copied", `Copied ${what} for ${whose}`);
      announce(`${what[0].toUpperCase()}${what.slice(1)} for ${whose} copied.`);
    } catch {
      show("Copy failed: select the text", `Copy failed: select the text of the ${what} for ${whose}`);
    }
    window.setTimeout(idle, 2000);
  });
  return button;
}

// A titled block of text to say or send, with its copy button.
export function copyBlock(title, text, what, whose) {
  return h("section", { class: "copy-block" },
    h("div", { class: "copy-head" }, h("h4", {}, title), copyButton(text, what, whose)),
    h("p", { class: "script-text" }, text));
}
