/* Long forms (a call, an application) in sections with a progress indication: for a form marked
   data-sections, a side list of its fieldsets (each a link to its section, ticked once every
   required field in it has a value; a section without required fields says it is optional) and a
   progress bar "k of n sections complete" over the sections with required fields, kept up to date
   as the person types. Progressive enhancement: without JavaScript the form is the same long form.
   No inline script or style (Content-Security-Policy); the labels come from data- attributes so they
   are translated on the server. */
(function () {
  "use strict";
  function filled(field) {
    if (field.type === "checkbox" || field.type === "radio") {
      var group = field.form ? field.form.querySelectorAll('[name="' + field.name + '"]') : [field];
      return Array.prototype.some.call(group, function (f) { return f.checked; });
    }
    return field.value.trim() !== "";
  }
  function requiredFields(fieldset) {
    return fieldset.querySelectorAll("input[required], select[required], textarea[required]");
  }
  function complete(fieldset) {
    return Array.prototype.every.call(requiredFields(fieldset), filled);
  }
  function setUp(form, index) {
    var sections = Array.prototype.filter.call(form.querySelectorAll("fieldset"), function (f) {
      return f.parentElement === form && f.querySelector("legend");
    });
    if (sections.length < 3) { return; }
    var wrapper = document.createElement("div");
    wrapper.className = "sectioned";
    form.parentNode.insertBefore(wrapper, form);
    var nav = document.createElement("nav");
    nav.className = "section-nav";
    nav.setAttribute("aria-label", form.dataset.sectionsLabel || "Sections");
    var label = document.createElement("p");
    label.className = "section-progress-label";
    label.id = "section-progress-" + index;
    var bar = document.createElement("progress");
    bar.setAttribute("aria-labelledby", label.id);
    var list = document.createElement("ol");
    var items = sections.map(function (fieldset, i) {
      if (!fieldset.id) { fieldset.id = "section-" + index + "-" + (i + 1); }
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#" + fieldset.id;
      a.textContent = fieldset.querySelector("legend").textContent.trim();
      var mark = document.createElement("span");
      mark.className = "section-done";
      li.appendChild(a);
      li.appendChild(mark);
      list.appendChild(li);
      return { fieldset: fieldset, li: li, mark: mark, optional: requiredFields(fieldset).length === 0 };
    });
    var counted = items.filter(function (item) { return !item.optional; });
    nav.appendChild(label);
    nav.appendChild(bar);
    nav.appendChild(list);
    wrapper.appendChild(nav);
    wrapper.appendChild(form);
    var template = form.dataset.sectionsProgress || "{done} of {total} sections complete";
    var doneText = form.dataset.sectionsDone || "complete";
    var optionalText = form.dataset.sectionsOptional || "optional";
    items.forEach(function (item) {
      if (item.optional) { item.mark.className = "section-optional"; item.mark.textContent = " (" + optionalText + ")"; }
    });
    bar.max = counted.length || 1;
    function update() {
      var done = 0;
      counted.forEach(function (item) {
        var ok = complete(item.fieldset);
        if (ok) { done += 1; }
        item.li.classList.toggle("done", ok);
        item.mark.textContent = ok ? " \u2713" : "";
        item.mark.setAttribute("aria-label", ok ? doneText : "");
        if (!ok) { item.mark.removeAttribute("aria-label"); }
      });
      bar.value = done;
      label.textContent = template.replace("{done}", done).replace("{total}", counted.length);
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }
  function start() { document.querySelectorAll("form[data-sections]").forEach(setUp); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
