// The report page's expenditure section: a refused line (400, nothing saved) comes back as the
// section with each problem beside its field, so HTMX swaps it in like a saved one (by default
// HTMX swaps no 4xx answer). Only for the elements that ask for it (data-swap-refusals).
document.addEventListener("htmx:beforeSwap", function (event) {
  var detail = event.detail;
  if (detail.xhr && detail.xhr.status === 400 && detail.elt && detail.elt.closest("[data-swap-refusals]")) {
    detail.shouldSwap = true;
    detail.isError = false;
  }
});
