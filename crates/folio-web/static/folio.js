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
(() => {
  let tip = null;
  const hide = () => { if (tip) tip.hidden = true; };
  document.addEventListener("mouseover", (event) => {
    const target = event.target;
    const item = target.closest && target.closest(".chart .band, .chart .bar, .chart .marker");
    if (!item) { hide(); return; }
    const figure = item.closest(".chart");
    const title = item.querySelector("title");
    if (title) { item.dataset.tip = title.textContent; title.remove(); }
    if (!item.dataset.tip) return;
    if (!tip || tip.parentNode !== figure) {
      tip = document.createElement("div");
      tip.className = "chart-tip";
      tip.setAttribute("role", "status");
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
