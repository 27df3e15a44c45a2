// The demo shop's buttons (no inline handlers: the pages run under a strict CSP).
document.querySelectorAll('[data-open-chat]').forEach((el) =>
  el.addEventListener('click', (e) => {
    e.preventDefault();
    if (window.Switchboard) window.Switchboard.open();
  }),
);
document.querySelectorAll('[data-add-to-cart]').forEach((el) =>
  el.addEventListener('click', () => {
    el.textContent = 'Added to cart \u2713';
  }),
);
