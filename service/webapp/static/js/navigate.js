// Moving between pages, and telling screen readers what happened.

export function go(path) {
  if (window.location.hash === `#${path}`) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else window.location.hash = path;
}

export function announce(text) {
  const status = document.getElementById("status");
  status.textContent = "";
  window.setTimeout(() => {
    status.textContent = text;
  }, 50);
}
