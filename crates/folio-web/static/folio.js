// Progressive enhancement only: every page works without this file.
// Ask before submitting a form marked data-confirm (deletes).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
