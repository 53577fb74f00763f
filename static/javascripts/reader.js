/* Reader features: sortable and filterable index tables, the timeline's party filter, and the
 * relationship diagrams of record pages.
 *
 * A few lines of plain script, no framework. Without JavaScript every table and the whole
 * timeline are still there as plain HTML; the controls only appear when this runs. A record
 * page's diagram is a file of its own (graphs/<id>.svg) put into the page here; without
 * JavaScript the page lists the same relations.
 */
(function () {
  "use strict";

  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  function text(el) {
    return (el.textContent || "").replace(/\s+/g, " ").trim();
  }

  /* What a cell sorts by: a <time datetime> if it has one (dates), else its text. */
  function sortKey(cell) {
    var time = cell ? cell.querySelector("time[datetime]") : null;
    return time ? time.getAttribute("datetime") : cell ? text(cell) : "";
  }

  /* The values a cell can be filtered by: each linked name, or its text. */
  function cellValues(cell) {
    if (!cell) return [];
    var links = cell.querySelectorAll("a");
    if (links.length) return Array.prototype.map.call(links, text);
    var value = text(cell);
    return value ? [value] : [];
  }

  function makeSortable(table, headers, body, rows) {
    headers.forEach(function (th, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = text(th);
      button.title = "Sort by " + text(th);
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        headers.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", dir);
        rows.slice().sort(function (a, b) {
          var x = sortKey(a.cells[i]), y = sortKey(b.cells[i]);
          if (!x !== !y) return x ? -1 : 1;          /* empty cells last either way */
          var r = collator.compare(x, y);
          return dir === "ascending" ? r : -r;
        }).forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function setupTable(wrap) {
    if (wrap.getAttribute("data-ready")) return;
    var table = wrap.querySelector("table");
    if (!table || !table.tHead || !table.tBodies.length) return;
    wrap.setAttribute("data-ready", "1");
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    makeSortable(table, headers, body, rows);

    var controls = document.createElement("div");
    controls.className = "data-table-controls";
    controls.setAttribute("data-search-exclude", "");
    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = "Filter rows…";
    search.setAttribute("aria-label", "Filter rows by any text");
    controls.appendChild(search);

    var filters = [];
    (wrap.getAttribute("data-filters") || "").split(",").forEach(function (name) {
      var i = headers.map(text).indexOf(name);
      if (!name || i < 0) return;
      var values = {};
      rows.forEach(function (row) {
        cellValues(row.cells[i]).forEach(function (v) { values[v] = true; });
      });
      var names = Object.keys(values).sort(collator.compare);
      if (names.length < 2) return;
      var label = document.createElement("label");
      label.textContent = name + " ";
      var select = document.createElement("select");
      select.setAttribute("data-column", name);
      select.appendChild(new Option("any", ""));
      names.forEach(function (v) { select.appendChild(new Option(v, v)); });
      label.appendChild(select);
      controls.appendChild(label);
      filters.push({ index: i, select: select });
    });

    var count = document.createElement("output");
    count.className = "data-table-count";
    count.setAttribute("aria-live", "polite");
    controls.appendChild(count);

    function apply() {
      var query = search.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var ok = filters.every(function (f) {
          return !f.select.value || cellValues(row.cells[f.index]).indexOf(f.select.value) >= 0;
        }) && (!query || text(row).toLowerCase().indexOf(query) >= 0);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown === rows.length ? rows.length + " rows" : shown + " of " + rows.length + " rows";
    }
    search.addEventListener("input", apply);
    filters.forEach(function (f) { f.select.addEventListener("change", apply); });
    wrap.insertBefore(controls, wrap.firstChild);
    apply();
  }

  function setupTimeline(form) {
    if (form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "1");
    var select = form.querySelector("select");
    var out = form.querySelector("output");
    var items = Array.prototype.slice.call(document.querySelectorAll(".tl-item"));
    if (!select || !items.length) return;
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    /* The menu: the parties of this page's entries, most entries first, named from the one file
     * of names the timeline's pages share (so a party renamed changes that file, not every page). */
    var counts = {};
    items.forEach(function (item) {
      (item.getAttribute("data-parties") || "").split(" ").forEach(function (id) {
        if (id) counts[id] = (counts[id] || 0) + 1;
      });
    });
    fetch(new URL(select.getAttribute("data-names"), document.baseURI).href).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + response.url);
      return response.json();
    }).then(function (names) {
      var ids = Object.keys(counts).filter(function (id) { return typeof names[id] === "string"; });
      ids.sort(function (a, b) {
        var la = names[a].toLowerCase(), lb = names[b].toLowerCase();
        return counts[b] - counts[a] || (la < lb ? -1 : la > lb ? 1 : (a < b ? -1 : 1));
      });
      ids.forEach(function (id) {
        var option = document.createElement("option");
        option.value = id;
        option.textContent = names[id] + " (" + counts[id] + ")";
        select.appendChild(option);
      });
      form.hidden = false;
    }).catch(function (error) {
      if (window.console) console.warn("timeline filter not shown:", error);
    });

    function apply() {
      var party = select.value;
      var shown = 0;
      items.forEach(function (item) {
        var ok = !party || (item.getAttribute("data-parties") || "").split(" ").indexOf(party) >= 0;
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      /* Hide a year (its heading) or a month label when nothing under it is left. */
      document.querySelectorAll(".timeline").forEach(function (line) {
        var any = !!line.querySelector(".tl-item:not([hidden])");
        line.hidden = !any;
        var heading = line.previousElementSibling;
        if (heading && /^H[23]$/.test(heading.tagName)) heading.hidden = !any;
        var label = null, labelHasItems = false;
        Array.prototype.forEach.call(line.children, function (child) {
          if (child.classList.contains("tl-month")) {
            if (label) label.hidden = !labelHasItems;
            label = child;
            labelHasItems = false;
          } else if (child.classList.contains("tl-item") && !child.hidden) {
            labelHasItems = true;
          }
        });
        if (label) label.hidden = !labelHasItems;
      });
      if (out) out.textContent = party ? shown + " of " + items.length + " entries" : items.length + " entries";
    }
    select.addEventListener("change", apply);
    apply();
  }

  /* Fetch a diagram's SVG file and put the drawing itself into the page (not an <img>), so its
   * nodes are links and the palette's CSS colours it. Links in the file are relative to the
   * file; they are resolved against its URL. If the file cannot be had, the relations list opens. */
  function loadGraph(wrap) {
    if (wrap.getAttribute("data-ready")) return;
    wrap.setAttribute("data-ready", "1");
    var url = new URL(wrap.getAttribute("data-graph"), document.baseURI);
    fetch(url.href).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + url.pathname);
      return response.text();
    }).then(function (source) {
      var doc = new DOMParser().parseFromString(source, "image/svg+xml");
      var svg = doc.documentElement;
      if (svg.localName !== "svg" || doc.getElementsByTagName("parsererror").length) {
        throw new Error("not an SVG drawing: " + url.pathname);
      }
      /* The generator writes neither; a diagram is a drawing with links, nothing more. */
      Array.prototype.slice.call(svg.querySelectorAll("script, foreignObject")).forEach(function (el) {
        el.parentNode.removeChild(el);
      });
      Array.prototype.forEach.call(svg.querySelectorAll("a[href]"), function (a) {
        var target = new URL(a.getAttribute("href"), url);
        a.setAttribute("href", target.origin === location.origin ? target.pathname + target.search + target.hash : target.href);
      });
      /* The file carries its key for readers who open it alone; the page has the key already. */
      var key = svg.getElementsByTagNameNS("http://www.w3.org/1999/xhtml", "p")[0];
      if (key) key.parentNode.removeChild(key);
      /* In place of the placeholder, which has the drawing's size: nothing on the page moves. */
      wrap.replaceChildren(document.importNode(svg, true));
    }).catch(function (error) {
      var list = wrap.nextElementSibling;
      while (list && !/^(H[1-6]|DETAILS)$/.test(list.tagName)) list = list.nextElementSibling;
      if (list && list.classList.contains("rel-graph-list")) list.open = true;
      if (window.console) console.warn("relationship diagram not shown:", error);
    });
  }

  function init() {
    document.querySelectorAll(".data-table").forEach(setupTable);
    document.querySelectorAll("form.tl-filter").forEach(setupTimeline);
    document.querySelectorAll(".rel-graph-wrap[data-graph]").forEach(loadGraph);
  }

  /* Material's document$ fires on every page, including instant navigation when enabled. */
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
