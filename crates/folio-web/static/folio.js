// Progressive enhancement only: every page works without this file.
// Ask before submitting a form marked data-confirm (deletes).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

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
