// The main menu: a row of links on wide screens, behind a "Menu" button on a phone.

export function installMenu(nav) {
  const button = nav.querySelector(".menu-toggle");
  const open = () => button.getAttribute("aria-expanded") === "true";
  const set = (value) => {
    button.setAttribute("aria-expanded", String(value));
    nav.classList.toggle("open", value);
  };
  button.addEventListener("click", () => set(!open()));
  nav.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !open()) return;
    set(false);
    button.focus();
  });
  document.addEventListener("click", (event) => {
    if (open() && !nav.contains(event.target)) set(false);
  });
  nav.addEventListener("focusout", (event) => {
    if (open() && event.relatedTarget && !nav.contains(event.relatedTarget)) set(false);
  });
  return { close: () => set(false) };
}
