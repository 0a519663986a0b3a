/* Chained kota → kecamatan → kelurahan selects.
 *
 * The server renders one <select name="kelurahan"> with every kelurahan grouped by
 * kecamatan, which works without JavaScript. This script reveals the kota and kecamatan
 * selects and narrows the kelurahan list through the JSON endpoints. If an endpoint fails,
 * it puts the full grouped list back, so the form always stays usable.
 */
(function () {
  "use strict";

  function option(value, label) {
    var el = document.createElement("option");
    el.value = value;
    el.textContent = label;
    return el;
  }

  function fill(select, placeholder, items, selected) {
    select.replaceChildren(option("", placeholder));
    items.forEach(function (item) {
      select.appendChild(option(item.code, item.name));
    });
    select.value = selected || "";
  }

  function fetchOptions(url, param, code) {
    var query = new URLSearchParams();
    query.set(param, code);
    return fetch(url + "?" + query.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) { return data.results || []; });
  }

  function init(root) {
    var kota = root.querySelector("#region-kota");
    var kecamatan = root.querySelector("#region-kecamatan");
    var kelurahan = root.querySelector("select[name=kelurahan]");
    var status = root.querySelector("[data-region-status]");
    if (!kota || !kecamatan || !kelurahan || !window.fetch) { return; }
    var d = root.dataset;
    var fallback = Array.prototype.slice.call(kelurahan.children).map(function (node) { return node.cloneNode(true); });
    var initial = kelurahan.value;

    function announce(text) { if (status) { status.textContent = text; } }

    function giveUp() {
      // Endpoint unavailable: back to the grouped list of all kelurahan.
      root.querySelectorAll("[data-region-step]").forEach(function (el) { el.hidden = true; });
      var current = kelurahan.value || initial;
      kelurahan.replaceChildren.apply(kelurahan, fallback.map(function (node) { return node.cloneNode(true); }));
      kelurahan.value = current;
    }

    function loadKecamatan(selected) {
      if (!kota.value) {
        fill(kecamatan, d.kotaFirst, [], "");
        fill(kelurahan, d.kecamatanFirst, [], "");
        return Promise.resolve();
      }
      announce(d.loading);
      return fetchOptions(d.kecamatanUrl, "kota", kota.value).then(function (items) {
        fill(kecamatan, d.chooseKecamatan, items, selected);
        fill(kelurahan, d.kecamatanFirst, [], "");
        announce("");
      });
    }

    function loadKelurahan(selected) {
      if (!kecamatan.value) {
        fill(kelurahan, d.kecamatanFirst, [], "");
        return Promise.resolve();
      }
      announce(d.loading);
      return fetchOptions(d.kelurahanUrl, "kecamatan", kecamatan.value).then(function (items) {
        fill(kelurahan, d.chooseKelurahan, items, selected);
        announce("");
      });
    }

    kota.addEventListener("change", function () { loadKecamatan("").catch(giveUp); });
    kecamatan.addEventListener("change", function () { loadKelurahan("").catch(giveUp); });

    root.querySelectorAll("[data-region-step]").forEach(function (el) { el.hidden = false; });
    // Kemendagri codes nest: 31.71.01.1001 lies in kecamatan 31.71.01 of kota 31.71.
    if (initial) {
      kota.value = initial.slice(0, 5);
      loadKecamatan(initial.slice(0, 8))
        .then(function () { return loadKelurahan(initial); })
        .catch(giveUp);
    } else {
      fill(kecamatan, d.kotaFirst, [], "");
      fill(kelurahan, d.kecamatanFirst, [], "");
    }
  }

  document.querySelectorAll("[data-region-chain]").forEach(init);
})();
