/* The SPARQL editor of vawmw-kg.
 * With YASGUI (served from this server's node_modules) it becomes the editor; without it the
 * plain form is enhanced: the query is sent with fetch and the results drawn as a table.
 * Without JavaScript the form still works: the server answers with the results as HTML.
 * Nothing here talks to any host but this one. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var form = document.getElementById("query-form");
  var textarea = document.getElementById("query");
  var results = document.getElementById("results");
  var status = document.getElementById("status");
  var container = document.getElementById("yasgui");
  var dataEl = document.getElementById("examples-data");
  var prefixesEl = document.getElementById("prefixes-data");
  if (!form || !textarea || !results || !container) { return; }
  var examples = [];
  try { examples = JSON.parse((dataEl && dataEl.textContent) || "[]"); } catch (e) { examples = []; }
  /* The prefixes /sparql predeclares (name -> namespace), as the page lists them. */
  var prefixes = {};
  try { prefixes = JSON.parse((prefixesEl && prefixesEl.textContent) || "{}"); } catch (e) { prefixes = {}; }
  var endpoint = new URL("/sparql", window.location.href).href;
  var plain = new URLSearchParams(window.location.search).get("ui") === "plain";
  var yasgui = null;

  function text(tag, value, attrs) {
    var el = document.createElement(tag);
    if (value !== undefined && value !== null) { el.textContent = value; }
    if (attrs) { Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); }); }
    return el;
  }

  /* Where a link to an IRI may point, or null for no link (as service/html.py does): IRIs of
   * this dataset become paths on this server, but never a path starting with // or /\ (a
   * browser reads that as another host; it also drops tabs and newlines); other IRIs are
   * linked only when they are http or https, never javascript:, data: and the like. */
  function localHref(iri) {
    var base = "https://w3id.org/vawmw/";
    if (iri.indexOf(base) === 0) {
      var rest = iri.slice(base.length);
      var first = rest.replace(/[\t\n\r]/g, "").charAt(0);
      if (first !== "/" && first !== "\\") { return "/" + rest; }
    }
    return /^https?:/i.test(iri) ? iri : null;
  }

  function cell(term) {
    var td = document.createElement("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var href = localHref(term.value);
      td.appendChild(href === null
        ? text("span", term.value, { "class": "iri", title: term.value })
        : text("a", term.value, { href: href, title: term.value }));
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) { td.appendChild(text("small", " @" + term["xml:lang"])); }
    }
    return td;
  }

  function drawTable(json) {
    results.textContent = "";
    if (typeof json.boolean === "boolean") {
      results.appendChild(text("p", "Answer: " + json.boolean, { "class": "boolean" }));
      return;
    }
    var vars = json.head.vars;
    var rows = json.results.bindings;
    results.appendChild(text("p", rows.length + " result(s)", { "class": "result-count" }));
    var wrap = text("div", null, { "class": "table-scroll" });
    var table = text("table", null, { "class": "results" });
    table.appendChild(text("caption", "Query results", { "class": "visually-hidden" }));
    var head = document.createElement("thead");
    var hr = document.createElement("tr");
    vars.forEach(function (v) { hr.appendChild(text("th", v, { scope: "col" })); });
    head.appendChild(hr);
    table.appendChild(head);
    var body = document.createElement("tbody");
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    wrap.appendChild(table);
    results.appendChild(wrap);
  }

  function runPlain(query) {
    status.textContent = "Running…";
    var body = new URLSearchParams();
    body.set("query", query);
    return fetch(endpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9"
      },
      body: body.toString()
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      return response.text().then(function (payload) {
        if (!response.ok) { throw new Error(payload || response.statusText); }
        if (type.indexOf("json") >= 0) {
          drawTable(JSON.parse(payload));
        } else {
          results.textContent = "";
          results.appendChild(text("pre", payload));
        }
        status.textContent = "Done.";
      });
    }).catch(function (error) {
      results.textContent = "";
      /* Preformatted: a syntax error's caret stands under the column it points at. */
      results.appendChild(text("pre", String(error.message || error), { "class": "error", role: "alert" }));
      status.textContent = "The query failed.";
    });
  }

  function setQuery(query) {
    if (yasgui) {
      var yasqe = yasgui.getTab().getYasqe();
      yasqe.setValue(query);
      yasqe.focus();
    } else {
      textarea.value = query;
      textarea.focus();
    }
  }

  if (!plain && window.Yasgui) {
    var Yasgui = window.Yasgui;
    if (Yasgui.Yasqe && Yasgui.Yasqe.defaults) {
      /* No autocompleter that asks a remote service (LOV): prefixes and variables only. */
      Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
    }
    var completer = Yasgui.Yasqe && Yasgui.Yasqe.Autocompleters && Yasgui.Yasqe.Autocompleters.prefixes;
    if (completer) {
      /* After "PREFIX", offer the endpoint's predeclared prefixes (not prefix.cc's list). */
      completer.get = function () {
        return Promise.resolve(Object.keys(prefixes).sort().map(function (name) {
          return name + ": <" + prefixes[name] + ">";
        }));
      };
    }
    container.hidden = false;
    form.hidden = true;
    yasgui = new Yasgui(container, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: false,
      persistenceId: null,
      populateFromUrl: false,
      autofocus: false,
      endpointCatalogueOptions: {
        getData: function () { return [{ endpoint: endpoint }]; }
      },
      yasqe: { value: textarea.value, persistenceId: null },
      yasr: { persistenceId: null }
    });
    var tab = yasgui.getTab();
    tab.setEndpoint && tab.setEndpoint(endpoint);
    tab.getYasqe().setValue(textarea.value);
    window.vawmwEditor = { mode: "yasgui", yasgui: yasgui };
  } else {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      runPlain(textarea.value);
    });
    window.vawmwEditor = { mode: "plain" };
  }

  Array.prototype.forEach.call(document.querySelectorAll("button.example"), function (button) {
    button.addEventListener("click", function () {
      var example = examples[Number(button.getAttribute("data-example"))];
      if (example) { setQuery(example.query); }
    });
  });
})();
