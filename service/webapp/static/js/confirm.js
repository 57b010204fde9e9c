// Asking before a step that cannot be taken back: a modal dialog where Escape means no.

import { h, uid } from "./dom.js";

// confirmChoice({title, text: [paragraphs], yes, no, danger}) -> Promise<boolean>
export function confirmChoice({ title, text, yes, no = "Cancel", danger = false }) {
  const before = document.activeElement;
  const titleId = uid("confirm-title");
  const textId = uid("confirm-text");
  const accept = h("button", { type: "button", class: `button ${danger ? "danger" : "primary"}` }, yes);
  const refuse = h("button", { type: "button", class: "button", autofocus: true }, no);
  const dialog = h("dialog", { class: "confirm", "aria-labelledby": titleId, "aria-describedby": textId },
    h("h2", { id: titleId }, title),
    h("div", { id: textId }, [text].flat().map((line) => h("p", {}, line))),
    h("div", { class: "actions" }, accept, refuse));
  return new Promise((resolve) => {
    accept.addEventListener("click", () => dialog.close("yes"));
    refuse.addEventListener("click", () => dialog.close("no"));
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (before instanceof HTMLElement && before.isConnected) before.focus();
      resolve(dialog.returnValue === "yes");
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
