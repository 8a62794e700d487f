// The map's behaviour: evidence panel, search, filters, PNG export.
// Every text from documents reaches the page through textContent, never as markup.
(function () {
  "use strict";
  var info = JSON.parse(document.getElementById("samverkan-data").textContent);
  var panel = document.getElementById("sv-panel");

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[-–—]+/g, " ").trim();
  }
  function clear() { while (panel.firstChild) { panel.removeChild(panel.firstChild); } }
  function line(tag, text, cls) {
    var el = document.createElement(tag);
    el.textContent = text;
    if (cls) { el.className = cls; }
    panel.appendChild(el);
    return el;
  }
  function showNode(id) {
    var n = info.nodes[id];
    if (!n) { return; }
    clear();
    line("h3", n.name);
    line("div", n.kind);
    if (n.aliases.length) { line("div", "Även kallad: " + n.aliases.join(", ")); }
    if (n.parent) { line("div", "Del av: " + n.parent); }
    line("div", "Samband: " + n.partners.length);
    n.partners.forEach(function (p) { line("div", "• " + p); });
    if (n.quotes.length) { line("h3", "Nämns i"); }
    n.quotes.forEach(function (q) { line("blockquote", "”" + q.sentence + "”"); line("div", q.where, "sv-where"); });
    document.body.setAttribute("data-shown", "node:" + id);
  }
  function showEdge(id) {
    var e = info.edges[id];
    if (!e) { return; }
    clear();
    line("h3", e.title);
    e.ties.forEach(function (t) { line("div", t); });
    e.quotes.forEach(function (q) { line("blockquote", "”" + q.sentence + "”"); line("div", q.where, "sv-where"); });
    document.body.setAttribute("data-shown", "edge:" + id);
  }
  function findNode(query) {
    var q = fold(query), ids = Object.keys(info.nodes), i;
    if (!q) { return null; }
    var tests = [
      function (n) { return fold(n.name) === q; },
      function (n) { return n.aliases.some(function (a) { return fold(a) === q; }); },
      function (n) { return fold(n.name).indexOf(q) === 0; },
      function (n) { return fold(n.name).indexOf(q) >= 0 || n.aliases.some(function (a) { return fold(a).indexOf(q) >= 0; }); }
    ];
    for (var t = 0; t < tests.length; t++) {
      for (i = 0; i < ids.length; i++) { if (tests[t](info.nodes[ids[i]])) { return ids[i]; } }
    }
    return null;
  }
  function focus(query) {
    var id = findNode(query), notice = document.getElementById("sv-notice");
    if (!id) { notice.textContent = "Hittar ingen aktör som heter ”" + query + "”."; return; }
    notice.textContent = "";
    nodes.update({ id: id, hidden: false });
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: false });
    showNode(id);
    document.body.setAttribute("data-focused", id);
  }
  function checked(name) {
    var out = {};
    document.querySelectorAll("input[data-" + name + "]").forEach(function (box) {
      out[box.getAttribute("data-" + name)] = box.checked;
    });
    return out;
  }
  function applyFilters() {
    var kinds = checked("kind"), statuses = checked("status"), visible = {};
    nodes.update(nodes.get().map(function (n) {
      var show = kinds[info.nodes[n.id].kindKey] !== false;
      visible[n.id] = show;
      return { id: n.id, hidden: !show };
    }));
    edges.update(edges.get().map(function (e) {
      var meta = info.edges[e.id];
      var any = meta.statuses.some(function (s) { return statuses[s] !== false; });
      return { id: e.id, hidden: !(any && visible[e.from] && visible[e.to]) };
    }));
  }
  function savePng() {
    var canvas = document.querySelector("#mynetwork canvas");
    var link = document.createElement("a");
    link.download = "karta.png";
    link.href = canvas.toDataURL("image/png");
    link.click();
  }

  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
  });
  // Once laid out, nodes stay where the user drags them. Without physics the "dynamic" curves
  // would keep bending through where the line used to run; "continuous" follows the ends.
  // A small map may have come to rest before this script ran, so its state is checked too.
  // A large map's layout comes from Python: straight lines, no physics, nothing to settle.
  function settle() {
    if (document.body.getAttribute("data-settled") === "true") { return; }
    if (!info.fixedLayout) { network.setOptions({ physics: false, edges: { smooth: { type: "continuous" } } }); }
    document.body.setAttribute("data-settled", "true");
  }
  network.once("stabilizationIterationsDone", settle);
  network.once("stabilized", settle);
  if (info.fixedLayout || network.physics.stabilized) { settle(); }
  network.once("afterDrawing", function () { document.body.setAttribute("data-ready", "true"); });
  network.redraw();  // a large map without physics may have drawn before this script ran
  document.getElementById("sv-search").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { focus(ev.target.value); }
  });
  document.querySelectorAll("#sv-filters input").forEach(function (box) { box.addEventListener("change", applyFilters); });
  document.getElementById("sv-png").addEventListener("click", savePng);
  window.samverkanKind = function (id) { return info.nodes[id].kindKey; };
  window.samverkan = { focus: focus, showNode: showNode, showEdge: showEdge, applyFilters: applyFilters };
})();
