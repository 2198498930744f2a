// The factor picker of the run page: type English or Chinese (or an id) and pick a factor from the list
// (name in both languages, value per declared unit, default density, status), from GET /api/factors.
// Without JavaScript the same boxes take a factor id, with the page's <datalist> as the list.
(function () {
  "use strict";
  var form = document.getElementById("fix");
  if (!form) return;
  var zh = form.dataset.lang === "zh";
  var known = {};
  var statusWords = JSON.parse(form.dataset.tStatus || "{}");

  function number(x) {
    return Number(x).toLocaleString(zh ? "zh-CN" : "en", { maximumFractionDigits: 3 });
  }

  function label(f) {
    var names = zh && f.name_zh ? f.name_zh + " · " + f.name_en : f.name_en + (f.name_zh ? " · " + f.name_zh : "");
    var density = f.density_kg_per_m3 ? number(f.density_kg_per_m3) + " kg/m3" : (zh ? "无默认密度" : "no default density");
    return f.id + " — " + names + " · " + number(f.value_kgco2e_per_unit) + " kgCO2e/" + f.declared_unit +
      " · " + density + " · " + (statusWords[f.status] || f.status);
  }

  function search(text, limit) {
    var url = "/api/factors?q=" + encodeURIComponent(text) + "&limit=" + limit;
    return fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .catch(function () { return []; });
  }

  function describe(input, f) {
    var row = input.closest("tr");
    var info = row.querySelector(".factor-info");
    var densityInfo = row.querySelector(".density-info");
    if (!f) {
      info.textContent = input.value.trim() ? form.dataset.tUnknown : "";
      if (densityInfo) { densityInfo.textContent = ""; densityInfo.classList.remove("needed"); }
      return;
    }
    info.textContent = label(f);
    if (!densityInfo) return;
    if (f.density_kg_per_m3) {
      densityInfo.textContent = form.dataset.tDefault.replace("{d}", number(f.density_kg_per_m3));
      densityInfo.classList.remove("needed");
    } else {
      densityInfo.textContent = form.dataset.tNeeded;
      densityInfo.classList.add("needed");
    }
  }

  function lookUp(input) {
    var id = input.value.trim();
    if (!id) { describe(input, null); return; }
    if (known[id]) { describe(input, known[id]); return; }
    search(id, 1).then(function (found) {
      var f = found.length && found[0].id === id ? found[0] : null;
      if (f) known[id] = f;
      if (input.value.trim() === id) describe(input, f);
    });
  }

  function closeAll(except) {
    document.querySelectorAll("ul.picker").forEach(function (list) {
      if (list !== except) list.hidden = true;
    });
  }

  function choose(input, f) {
    known[f.id] = f;
    input.value = f.id;
    describe(input, f);
    closeAll();
    input.focus();
  }

  function render(input, list, found) {
    list.textContent = "";
    if (!found.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = form.dataset.tNone;
      list.appendChild(none);
    }
    found.forEach(function (f) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("role", "option");
      button.dataset.factor = f.id;
      button.textContent = label(f);
      button.addEventListener("click", function () { choose(input, f); });
      item.appendChild(button);
      list.appendChild(item);
    });
    closeAll(list);
    list.hidden = false;
  }

  form.querySelectorAll("input.factor").forEach(function (input, index) {
    input.removeAttribute("list");  // our list instead of the browser's
    var wrap = document.createElement("div");
    wrap.className = "picker-wrap";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    var list = document.createElement("ul");
    list.className = "picker";
    list.id = "picker-" + index;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    wrap.appendChild(list);
    input.setAttribute("aria-controls", list.id);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value;
      describe(input, known[text.trim()] || null);
      if (!text.trim()) { list.hidden = true; return; }
      timer = setTimeout(function () {
        search(text, 12).then(function (found) {
          if (input.value === text) render(input, list, found);
        });
      }, 150);
    });
    input.addEventListener("change", function () { lookUp(input); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !list.hidden) {
        var first = list.querySelector("button");
        if (first) { event.preventDefault(); first.focus(); }
      } else if (event.key === "Escape") {
        list.hidden = true;
      }
    });
    list.addEventListener("keydown", function (event) {
      var buttons = Array.prototype.slice.call(list.querySelectorAll("button"));
      var at = buttons.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && at < buttons.length - 1) { event.preventDefault(); buttons[at + 1].focus(); }
      else if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? buttons[at - 1] : input).focus(); }
      else if (event.key === "Escape") { list.hidden = true; input.focus(); }
    });
    lookUp(input);
  });

  // a suggestion gets a button that fills it in
  form.querySelectorAll("ul.suggestions li[data-factor]").forEach(function (item) {
    var input = item.closest("tr").querySelector("input.factor");
    if (!input) return;
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = form.dataset.tUse;
    button.addEventListener("click", function () {
      input.value = item.dataset.factor;
      lookUp(input);
      input.focus();
    });
    item.appendChild(button);
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest(".picker-wrap")) closeAll();
  });
})();
