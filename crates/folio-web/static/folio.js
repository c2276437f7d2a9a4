// Progressive enhancement only: every page works without this file.
// Ask before submitting a form marked data-confirm (deletes).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Charts: show the values of the hovered band, bar or marker at once, next to it (the
// SVG <title> tooltip, which works without this script, needs a pause and a still mouse).
// The <title> stays the item's accessible text: it is only set aside while the pointer
// is on that item (so the native tooltip does not double the instant one) and put back
// as soon as the pointer leaves. The tip is not a live region: screen readers read the
// <title>s and the data table, not every mouse move.
(() => {
  let tip = null;
  let held = null; // { item, title } while the pointer is on an item
  const restore = () => {
    if (held && !held.title.parentNode) held.item.prepend(held.title);
    held = null;
  };
  const hide = () => { restore(); if (tip) tip.hidden = true; };
  document.addEventListener("mouseover", (event) => {
    const target = event.target;
    const item = target.closest && target.closest(".chart .band, .chart .bar, .chart .marker");
    if (!item) { hide(); return; }
    if (held && held.item === item) return;
    restore();
    const figure = item.closest(".chart");
    const title = item.querySelector("title");
    if (title) {
      item.dataset.tip = title.textContent;
      held = { item, title };
      title.remove();
    }
    if (!item.dataset.tip) return;
    if (!tip || tip.parentNode !== figure) {
      tip = document.createElement("div");
      tip.className = "chart-tip";
      tip.setAttribute("aria-hidden", "true");
      figure.appendChild(tip);
    }
    tip.textContent = item.dataset.tip;
    tip.hidden = false;
    const box = figure.getBoundingClientRect();
    const at = item.getBoundingClientRect();
    const left = Math.min(Math.max(at.left + at.width / 2 - box.left + 8, 0), box.width - tip.offsetWidth);
    tip.style.left = `${Math.max(left, 0)}px`;
    tip.style.top = `${Math.max(at.top - box.top, 0)}px`;
  });
  document.addEventListener("mouseout", (event) => {
    if (held && !held.item.contains(event.relatedTarget)) hide();
  });
  document.addEventListener("scroll", hide, { passive: true });
})();
// Import: a chosen file is read into the form's text field (the upload is a plain form
// post; without this script the content can be pasted).
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!input || input.id !== "import-file" || !input.files || !input.files[0]) {
    return;
  }
  const target = document.getElementById("import-content");
  input.files[0].text().then((text) => {
    if (target) {
      target.value = text;
    }
  });
});
