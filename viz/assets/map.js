// The map's behaviour: drawing, focus on an actor, evidence panel, forgiving search, filters,
// node size and colour, and PNG export. The data (viz/mapdata.py) is rows of arrays whose
// fields are named in nodeFields and edgeFields; every text from documents reaches the page
// through textContent, never as markup. Every text the user reads comes from info.text.
(function () {
  "use strict";
  var info = JSON.parse(document.getElementById("samverkan-data").textContent);
  var seed = JSON.parse(document.getElementById("samverkan-options").textContent).seed;
  var T = info.text;
  var NF = fields(info.nodeFields), EF = fields(info.edgeFields);
  var N = info.nodes, E = info.edges, DOCS = info.docs, QUOTES = info.quotes;
  var panel = document.getElementById("sv-panel");
  var notice = document.getElementById("sv-notice");

  function decimal(value, digits) {  // "0,85", as Swedish writes it
    return Number(value).toLocaleString("sv-SE", { minimumFractionDigits: 0, maximumFractionDigits: digits });
  }
  function fields(names) { var out = {}; names.forEach(function (n, i) { out[n] = i; }); return out; }
  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, key) { return values[key] === undefined ? "" : String(values[key]); });
  }

  // --- Indexes -------------------------------------------------------------------------------
  var ids = N.map(function (n) { return n[NF.id]; });
  var at = {};
  ids.forEach(function (id, i) { at[id] = i; });
  var edgeIds = E.map(function (e) { return ids[e[EF.source]] + "|" + ids[e[EF.target]]; });
  var edgeAt = {};
  edgeIds.forEach(function (id, j) { edgeAt[id] = j; });
  var around = N.map(function () { return []; });  // edge positions per node
  E.forEach(function (e, j) {
    around[e[EF.source]].push(j);
    if (e[EF.target] !== e[EF.source]) { around[e[EF.target]].push(j); }
  });
  var maxBetweenness = N.reduce(function (m, n) { return Math.max(m, n[NF.betweenness]); }, 0) || 1;

  // --- Styles --------------------------------------------------------------------------------
  var mode = { size: "partners", colour: "kind" };
  var hiddenNode = N.map(function () { return false; });
  var hiddenEdge = E.map(function () { return false; });
  var focused = null;
  var titled = {};

  function kindStyle(kind) { return info.kinds[kind] || { label: kind, color: "#999999", shape: "dot" }; }
  function statusStyle(status) { return info.statuses[status] || { label: status, dashes: true, opacity: 0.6 }; }
  function reviewStyle(review) { return info.reviews[review.verdict] || info.reviews.other; }
  function nodeColour(i) {
    if (mode.colour === "community") {
      var c = N[i][NF.community];
      return c >= 1 && c <= info.palette.length ? info.palette[c - 1] : "#c8c8c8";
    }
    return kindStyle(N[i][NF.kind]).color;
  }
  function nodeSize(i) {
    if (mode.size === "betweenness") { return 8 + 32 * Math.sqrt(N[i][NF.betweenness] / maxBetweenness); }
    return 10 + Math.min(N[i][NF.partners], 20);
  }
  function short(name) { return name.length <= 42 ? name : name.slice(0, 41).replace(/\s+$/, "") + "…"; }
  // `initial`: the item as the network is first built, without options it has by default.
  function nodeItem(i, initial) {
    var n = N[i], style = kindStyle(n[NF.kind]);
    var item = { id: n[NF.id], label: short(n[NF.name]), title: n[NF.name] + "\n" + style.label, shape: style.shape,
                 color: nodeColour(i), size: nodeSize(i) };
    if (!initial) { item.hidden = hiddenNode[i]; }
    if (n[NF.x] !== null) { item.x = n[NF.x]; item.y = n[NF.y]; }
    return item;
  }
  function lineWidth(documents) { return 1 + Math.min(documents * 1.5, 8); }
  function edgeOpacity(j) {
    var e = E[j], opacity = Number(statusStyle(e[EF.status]).opacity);
    if (e[EF.confidence] < info.weak.confidence) { opacity *= info.weak.opacity; }
    return Math.round(opacity * 1000) / 1000;
  }
  function tieText(tie) {
    var via = tie[4] !== null ? " " + fmt(T.via, { via: typeof tie[4] === "number" ? nameOf(tie[4]) : tie[4] }) : "";
    var since = tie[5] ? ", " + fmt(T.since, { since: tie[5] }) : "";
    return nameOf(tie[1]) + " " + (info.relations[tie[0]] || tie[0]) + " " + nameOf(tie[2]) + via +
      " (" + statusStyle(tie[3]).label + since + ")";
  }
  function nameOf(i) { return i >= 0 ? N[i][NF.name] : "?"; }
  // Only what differs from the defaults set on the network (DEFAULT_EDGE): vis-network parses
  // every option of every edge, and 29,000 edges' full options took a second.
  var DEFAULT_EDGE = { width: lineWidth(1), color: { color: "#555555", opacity: 1 }, dashes: false };
  function edgeItem(j, initial) {
    var e = E[j], review = e[EF.review], status = statusStyle(e[EF.status]);
    var item = { id: edgeIds[j], from: ids[e[EF.source]], to: ids[e[EF.target]] };
    if (!initial) { item.hidden = hiddenEdge[j]; }
    if (status.dashes) { item.dashes = true; }
    if (titled[j]) { item.title = edgeTitle(j); }
    if (e[EF.documents].length > 1) { item.width = lineWidth(e[EF.documents].length); }
    var opacity = edgeOpacity(j);
    if (opacity !== 1) { item.color = { color: "#555555", opacity: opacity }; }
    if (review) {
      var style = reviewStyle(review);
      item.color = { color: style.color, opacity: 1 };
      item.width = lineWidth(e[EF.documents].length) + 1.5;
      item.label = style.mark;
      item.font = { size: 16, color: style.color, strokeWidth: 3, strokeColor: "#ffffff" };
    }
    return item;
  }
  function edgeTitle(j) {
    var e = E[j], first = e[EF.ties][0];
    return (info.relations[first[0]] || first[0]) + " (" + statusStyle(e[EF.status]).label + ")";
  }

  // --- The network ---------------------------------------------------------------------------
  var nodes = new vis.DataSet(N.map(function (n, i) { return nodeItem(i, true); }));
  var edges = new vis.DataSet(E.map(function (e, j) { return edgeItem(j, true); }));
  var large = info.fixedLayout;
  var network = new vis.Network(document.getElementById("mynetwork"), { nodes: nodes, edges: edges }, {
    edges: { arrows: { to: { enabled: false } }, smooth: !large, width: DEFAULT_EDGE.width, color: DEFAULT_EDGE.color,
             dashes: false },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: large, hideEdgesOnZoom: large },
    physics: { enabled: !large, solver: "barnesHut", stabilization: { enabled: true, iterations: 300 } },
    // One seed: the same graph opens as the same picture, on the sender's screen and the colleague's.
    layout: { improvedLayout: !large, randomSeed: seed }
  });
  window.nodes = nodes;
  window.edges = edges;
  window.network = network;

  function refreshNodes(changed) {
    if (changed.length) { nodes.update(changed.map(function (i) { return nodeItem(i, false); })); }
  }
  function refreshEdges(changed) {
    if (changed.length) { edges.update(changed.map(function (j) { return edgeItem(j, false); })); }
  }

  // --- Panel ---------------------------------------------------------------------------------
  function clear() { while (panel.firstChild) { panel.removeChild(panel.firstChild); } }
  function line(tag, text, cls, parent) {
    var el = document.createElement(tag);
    el.textContent = text;
    if (cls) { el.className = cls; }
    (parent || panel).appendChild(el);
    return el;
  }
  function quote(q) {
    var doc = DOCS[q[1]];
    line("blockquote", "”" + q[0] + "”");
    line("div", fmt(T.where, { document: doc[0], section: q[2] ? ", " + q[2] : "", start: q[3], end: q[4] }), "sv-where");
  }
  function showNode(id) {
    var i = at[id];
    if (i === undefined) { return; }
    var n = N[i];
    clear();
    line("h3", n[NF.name]);
    line("div", kindStyle(n[NF.kind]).label);
    if (n[NF.aliases].length) { line("div", T.also_called + n[NF.aliases].join(", ")); }
    if (n[NF.parent]) { line("div", T.part_of + n[NF.parent]); }
    line("div", fmt(T.betweenness, { value: decimal(n[NF.betweenness], 4) }));
    if (n[NF.community]) { line("div", fmt(T.community, { value: n[NF.community] })); }
    var partners = partnersOf(i);
    line("h4", fmt(T.partners, { count: partners.length }));
    var list = line("ul", "", "sv-partners");
    partners.forEach(function (p) {
      var item = document.createElement("li"), link = document.createElement("a");
      link.textContent = N[p][NF.name];
      link.className = "sv-partner";
      link.href = "#";
      link.setAttribute("data-node", ids[p]);
      link.addEventListener("click", function (ev) { ev.preventDefault(); focusNode(ids[p], true); });
      item.appendChild(link);
      list.appendChild(item);
    });
    if (n[NF.quotes].length) { line("h4", T.mentioned_in); }
    n[NF.quotes].forEach(function (q) { quote(QUOTES[q]); });
    document.body.setAttribute("data-shown", "node:" + id);
  }
  function partnersOf(i) {
    var seen = {};
    around[i].forEach(function (j) {
      var e = E[j], other = e[EF.source] === i ? e[EF.target] : e[EF.source];
      if (other !== i) { seen[other] = true; }
    });
    return Object.keys(seen).map(Number).sort(function (a, b) { return N[a][NF.name].localeCompare(N[b][NF.name], "sv"); });
  }
  function showEdge(id) {
    var j = edgeAt[id];
    if (j === undefined) { return; }
    var e = E[j], review = e[EF.review];
    clear();
    line("h3", nameOf(e[EF.source]) + " – " + nameOf(e[EF.target]));
    e[EF.ties].forEach(function (t) { line("div", tieText(t)); });
    if (review) {
      var box = line("div", "", "sv-review");
      box.style.borderLeftColor = reviewStyle(review).color;
      var parts = [fmt(T.review, { verdict: (info.reviews[review.verdict] || { label: review.verdict }).label })];
      if (review.by) { parts.push(fmt(T.review_by, { by: review.by })); }
      if (review.date) { parts.push(fmt(T.review_date, { date: review.date })); }
      line("div", reviewStyle(review).mark + " " + parts.join(" "), "", box);
      if (review.note) { line("div", review.note, "", box); }
    }
    line("div", fmt(T.sources, { count: e[EF.documents].length }));
    line("div", fmt(T.confidence, { value: decimal(e[EF.confidence], 2) }));
    if (e[EF.years].length) { line("div", fmt(T.years_line, { years: e[EF.years].join(", ") })); }
    if (e[EF.documents].length > e[EF.quotes].length) { line("div", fmt(T.quotes_more, { count: e[EF.documents].length }), "sv-where"); }
    e[EF.quotes].forEach(function (q) { quote(QUOTES[q]); });
    document.body.setAttribute("data-shown", "edge:" + id);
  }

  // --- Focus: the actor's neighbourhood stays, the rest dims --------------------------------
  // Restyling 29,000 edges through the DataSet took seconds. Instead, after vis-network has
  // drawn, a white veil is laid over the map and the neighbourhood's own nodes and lines are
  // drawn again on top of it by vis-network's drawing code: the cost is the neighbourhood's.
  var veil = { nodes: [], edges: [] };
  function neighbourhood(i) {
    var keepNodes = {}, keepEdges = [];
    keepNodes[i] = true;
    around[i].forEach(function (j) {
      if (hiddenEdge[j]) { return; }
      keepEdges.push(edgeIds[j]);
      keepNodes[E[j][EF.source]] = true;
      keepNodes[E[j][EF.target]] = true;
    });
    return { nodes: Object.keys(keepNodes).map(function (k) { return ids[Number(k)]; }), edges: keepEdges };
  }
  function drawVeil(ctx) {
    if (focused === null) { return; }
    var canvas = ctx.canvas, ratio = window.devicePixelRatio || 1;
    var low = network.DOMtoCanvas({ x: 0, y: 0 }), high = network.DOMtoCanvas({ x: canvas.width / ratio, y: canvas.height / ratio });
    ctx.save();
    ctx.fillStyle = "rgba(255, 255, 255, 0.85)";
    ctx.fillRect(low.x, low.y, high.x - low.x, high.y - low.y);
    ctx.restore();
    var body = network.body;
    veil.edges.forEach(function (id) { var edge = body.edges[id]; if (edge) { edge.draw(ctx); } });
    var labels = [];  // vis-network draws the labels beside nodes after all nodes, so do we
    veil.nodes.forEach(function (id) {
      var node = body.nodes[id];
      if (!node || node.options.hidden) { return; }
      var drawn = node.draw(ctx);
      if (drawn && drawn.drawExternalLabel) { labels.push(drawn.drawExternalLabel); }
    });
    labels.forEach(function (draw) { draw(); });
  }
  function focusNode(id, move) {
    var i = at[id];
    if (i === undefined) { return; }
    if (hiddenNode[i]) { hiddenNode[i] = false; nodes.update(nodeItem(i)); }
    focused = i;
    veil = neighbourhood(i);
    network.selectNodes([id]);
    if (move) { network.focus(id, { scale: focusScale(id), animation: false }); }
    network.redraw();
    showNode(id);
    document.body.setAttribute("data-focused", id);
    document.getElementById("sv-clear").hidden = false;
  }
  // Centred on the actor, as close as 1.3 but far enough out to show its whole neighbourhood.
  function focusScale(id) {
    var box = document.getElementById("mynetwork").getBoundingClientRect();
    var positions = network.getPositions(veil.nodes), centre = positions[id], scale = 1.3;
    veil.nodes.forEach(function (other) {
      var dx = Math.abs(positions[other].x - centre.x), dy = Math.abs(positions[other].y - centre.y);
      if (dx > 0) { scale = Math.min(scale, 0.9 * box.width / 2 / (dx + 30)); }
      if (dy > 0) { scale = Math.min(scale, 0.9 * box.height / 2 / (dy + 30)); }
    });
    return Math.max(scale, 0.02);
  }
  function clearFocus() {
    focused = null;
    veil = { nodes: [], edges: [] };
    network.unselectAll();
    network.redraw();
    document.body.removeAttribute("data-focused");
    document.getElementById("sv-clear").hidden = true;
  }

  // --- Search: the CLI's forgiving lookup over the shipped alias index -----------------------
  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[\-\u2010-\u2015_\/]+/g, " ").replace(/\s+/g, " ").trim();
  }
  // Swedish genitive and definite endings: "Polismyndighetens", "polisen", "kommunens".
  var ENDINGS = ["ernas", "arnas", "ornas", "ens", "ets", "nas", "en", "et", "na", "ns", "s", "n"];
  function variants(q) {
    var out = [q];
    ENDINGS.forEach(function (end) {
      if (q.length - end.length >= 3 && q.slice(-end.length) === end) { out.push(q.slice(0, -end.length)); }
    });
    return out;
  }
  function ratio(a, b) {  // rapidfuzz's ratio: 2 * longest common subsequence / (|a| + |b|)
    var prev = new Array(b.length + 1).fill(0), cur = new Array(b.length + 1).fill(0);
    for (var x = 1; x <= a.length; x++) {
      for (var y = 1; y <= b.length; y++) {
        cur[y] = a[x - 1] === b[y - 1] ? prev[y - 1] + 1 : Math.max(prev[y], cur[y - 1]);
      }
      var swap = prev; prev = cur; cur = swap;
    }
    return 2 * prev[b.length] / (a.length + b.length);
  }
  function score(q, forms, key) {
    if (key === q) { return 100; }
    for (var v = 1; v < forms.length; v++) {
      if (key === forms[v] || variants(key).indexOf(forms[v]) >= 0) { return 97; }
    }
    if (variants(key).indexOf(q) > 0) { return 97; }
    if (key.indexOf(q) === 0) { return 90 - Math.min(10, (key.length - q.length) / 5); }
    for (v = 1; v < forms.length; v++) {
      if (key.indexOf(forms[v]) === 0) { return 88 - Math.min(10, (key.length - forms[v].length) / 5); }
    }
    if (key.indexOf(" " + q) >= 0) { return 84; }
    if (q.length >= 3 && key.indexOf(q) > 0) { return 80; }
    if (q.length >= 4 && Math.abs(key.length - q.length) <= Math.max(3, q.length / 3)) {
      var r = ratio(q, key);
      if (r >= 0.75) { return Math.round(r * 78); }
    }
    return 0;
  }
  function lookup(query, limit) {
    var q = fold(query);
    if (!q) { return []; }
    var forms = variants(q), best = {};
    info.index.forEach(function (row) {
      var s = score(q, forms, row[0]);
      if (s > 0 && (best[row[1]] === undefined || best[row[1]] < s)) { best[row[1]] = s; }
    });
    return Object.keys(best).map(Number).map(function (ref) {
      var name = ref >= 0 ? N[ref][NF.name] : info.absent[-1 - ref][0];
      var kind = ref >= 0 ? N[ref][NF.kind] : info.absent[-1 - ref][1];
      return { ref: ref, score: best[ref], name: name, kind: kind, onMap: ref >= 0,
               tiedElsewhere: ref < 0 && info.absent[-1 - ref][2] === 1 };
    }).sort(function (a, b) {
      return b.score - a.score || a.name.length - b.name.length || a.name.localeCompare(b.name, "sv");
    }).slice(0, limit || 8);
  }
  var list = document.getElementById("sv-candidates"), searchBox = document.getElementById("sv-search");
  var shownCandidates = [], active = 0;
  function showCandidates() {
    shownCandidates = lookup(searchBox.value);
    while (list.firstChild) { list.removeChild(list.firstChild); }
    active = 0;
    shownCandidates.forEach(function (c, k) {
      var item = document.createElement("li"), kind = document.createElement("span");
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", k === 0 ? "true" : "false");
      item.textContent = c.name;
      kind.className = "sv-kind" + (c.onMap ? "" : " sv-absent");
      kind.textContent = kindStyle(c.kind).label + (c.onMap ? "" : " – " + (c.tiedElsewhere ? T.not_drawn_short : T.no_ties_short));
      item.appendChild(kind);
      item.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(c); });
      list.appendChild(item);
    });
    list.hidden = shownCandidates.length === 0;
  }
  function choose(c) {
    list.hidden = true;
    if (!c.onMap) {
      notice.textContent = fmt(c.tiedElsewhere ? T.not_drawn : T.no_ties, { name: c.name });
      document.body.setAttribute("data-focused", "");
      return;
    }
    notice.textContent = "";
    focusNode(ids[c.ref], true);
  }
  function search(query) {
    var found = lookup(query, 1);
    if (!found.length) {
      notice.textContent = fmt(T.no_match, { query: query });
      list.hidden = true;
      return;
    }
    choose(found[0]);
  }
  searchBox.addEventListener("input", showCandidates);
  searchBox.addEventListener("blur", function () { list.hidden = true; });
  searchBox.addEventListener("keydown", function (ev) {
    var items = list.children;
    if ((ev.key === "ArrowDown" || ev.key === "ArrowUp") && items.length) {
      ev.preventDefault();
      items[active].setAttribute("aria-selected", "false");
      active = (active + (ev.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      items[active].setAttribute("aria-selected", "true");
    } else if (ev.key === "Enter") {
      if (!list.hidden && shownCandidates.length) { choose(shownCandidates[active]); } else { search(searchBox.value); }
    } else if (ev.key === "Escape") {
      list.hidden = true;
    }
  });

  // --- Filters -------------------------------------------------------------------------------
  function checked(name) {
    var out = {};
    document.querySelectorAll("input[data-" + name + "]").forEach(function (box) {
      out[box.getAttribute("data-" + name)] = box.checked;
    });
    return out;
  }
  function number(id) { var v = document.getElementById(id).value; return v === "" ? null : Number(v); }
  function applyFilters() {
    var kinds = checked("kind"), statuses = checked("status");
    var doc = document.getElementById("sv-document").value, from = number("sv-year-from"), to = number("sv-year-to");
    var sources = number("sv-min-sources") || 1, confidence = number("sv-min-confidence") || 0;
    document.getElementById("sv-min-confidence-value").textContent = decimal(confidence, 2);
    var narrowed = doc !== "" || from !== null || to !== null || sources > 1 || confidence > 0;
    var docRef = doc === "" ? -1 : Number(doc), kindOn = N.map(function (n) { return kinds[n[NF.kind]] !== false; });
    var tied = N.map(function () { return false; }), changedEdges = [], changedNodes = [], shownEdges = 0, shownNodes = 0;
    E.forEach(function (e, j) {
      var show = e[EF.statuses].some(function (s) { return statuses[s] !== false; }) &&
        kindOn[e[EF.source]] && kindOn[e[EF.target]] &&
        (docRef < 0 || e[EF.documents].indexOf(docRef) >= 0) &&
        ((from === null && to === null) || e[EF.years].some(function (y) {
          return (from === null || y >= from) && (to === null || y <= to);
        })) &&
        e[EF.documents].length >= sources && e[EF.confidence] >= confidence;
      if (show) { tied[e[EF.source]] = tied[e[EF.target]] = true; shownEdges++; }
      if (hiddenEdge[j] === show) { hiddenEdge[j] = !show; changedEdges.push(j); }
    });
    N.forEach(function (n, i) {
      var show = kindOn[i] && (!narrowed || tied[i] || i === focused);
      if (show) { shownNodes++; }
      if (hiddenNode[i] === show) { hiddenNode[i] = !show; changedNodes.push(i); }
    });
    refreshNodes(changedNodes);
    refreshEdges(changedEdges);
    if (focused !== null) { veil = neighbourhood(focused); network.redraw(); }
    document.getElementById("sv-shown").textContent = fmt(T.shown, { nodes: shownNodes, edges: shownEdges });
    document.body.setAttribute("data-filtered", String(shownNodes) + "/" + String(shownEdges));
  }
  function fillFilters() {
    var select = document.getElementById("sv-document"), used = {}, years = [];
    E.forEach(function (e) {
      e[EF.documents].forEach(function (d) { used[d] = true; });
      years.push.apply(years, e[EF.years]);
    });
    Object.keys(used).map(Number).sort(function (a, b) { return DOCS[a][0].localeCompare(DOCS[b][0], "sv"); })
      .forEach(function (d) {
        var option = document.createElement("option");
        option.value = String(d);
        option.textContent = DOCS[d][0] + (DOCS[d][1] ? " (" + DOCS[d][1] + ")" : "");
        select.appendChild(option);
      });
    if (years.length) {
      var low = Math.min.apply(null, years), high = Math.max.apply(null, years);
      ["sv-year-from", "sv-year-to"].forEach(function (id) {
        var box = document.getElementById(id);
        box.min = String(low); box.max = String(high);
      });
      document.getElementById("sv-year-from").placeholder = String(low);
      document.getElementById("sv-year-to").placeholder = String(high);
    }
  }

  // --- Size and colour -----------------------------------------------------------------------
  function restyle() {
    mode.size = document.getElementById("sv-size").value;
    mode.colour = document.getElementById("sv-colour").value;
    document.getElementById("sv-legend-community").hidden = mode.colour !== "community";
    document.getElementById("sv-legend").classList.toggle("sv-by-community", mode.colour === "community");
    document.body.setAttribute("data-size", mode.size);
    document.body.setAttribute("data-colour", mode.colour);
    refreshNodes(N.map(function (n, i) { return i; }));
  }

  // --- PNG: the whole network at high resolution, on white, with title and legend -------------
  var EXPORT = { width: 3000, height: 2000, title: 90, legendRow: 34 };
  function drawShape(ctx, shape, x, y, r, colour) {
    ctx.fillStyle = colour;
    ctx.strokeStyle = "#333333";
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    if (shape === "square") { ctx.rect(x - r, y - r, 2 * r, 2 * r); }
    else if (shape === "diamond") { ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath(); }
    else if (shape === "triangle") { ctx.moveTo(x, y - r); ctx.lineTo(x + r, y + r); ctx.lineTo(x - r, y + r); ctx.closePath(); }
    else if (shape === "triangleDown") { ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y - r); ctx.lineTo(x, y + r); ctx.closePath(); }
    else { ctx.arc(x, y, r, 0, 2 * Math.PI); }
    ctx.fill();
    ctx.stroke();
  }
  function drawLine(ctx, x, y, style) {
    ctx.save();
    ctx.strokeStyle = style.color || "#555555";
    ctx.globalAlpha = style.opacity === undefined ? 1 : style.opacity;
    ctx.lineWidth = style.width || 3;
    ctx.setLineDash(style.dashes ? [12, 8] : []);
    ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x + 60, y); ctx.stroke();
    ctx.restore();
  }
  function legendEntries() {
    var out = [], kindsShown = {}, statusesShown = {};
    N.forEach(function (n) { kindsShown[n[NF.kind]] = true; });
    E.forEach(function (e) { e[EF.statuses].forEach(function (s) { statusesShown[s] = true; }); });
    var kinds = [{ heading: T.legend_kinds }];
    Object.keys(info.kinds).filter(function (k) { return kindsShown[k]; }).forEach(function (k) {
      kinds.push({ shape: info.kinds[k].shape, colour: mode.colour === "kind" ? info.kinds[k].color : "#dddddd", text: info.kinds[k].label });
    });
    if (mode.colour === "community") { kinds.push({ text: T.legend_community }); }
    var statuses = [{ heading: T.legend_statuses }];
    Object.keys(info.statuses).filter(function (s) { return statusesShown[s]; }).forEach(function (s) {
      statuses.push({ line: { dashes: info.statuses[s].dashes, opacity: info.statuses[s].opacity }, text: info.statuses[s].label });
    });
    var widths = [{ heading: T.legend_width }, { line: { width: lineWidth(1) }, text: T.width_one },
                  { line: { width: lineWidth(3) }, text: T.width_few }, { line: { width: lineWidth(6) }, text: T.width_many },
                  { text: T.legend_weak }];
    out.push(kinds, statuses, widths);
    return out;
  }
  function composeExport(picture, shownNodes, shownEdges) {
    var columns = legendEntries(), rows = Math.max.apply(null, columns.map(function (c) { return c.length; }));
    var legendHeight = rows * EXPORT.legendRow + 40;
    var out = document.createElement("canvas");
    out.width = EXPORT.width;
    out.height = EXPORT.title + EXPORT.height + legendHeight;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = "#111111";
    ctx.font = "bold 44px sans-serif";
    ctx.textBaseline = "middle";
    ctx.fillText(document.title, 40, 38);
    ctx.font = "24px sans-serif";
    ctx.fillStyle = "#555555";
    ctx.fillText(fmt(T.png_title_note, { nodes: shownNodes, edges: shownEdges }), 40, 74);
    ctx.drawImage(picture, 0, EXPORT.title, EXPORT.width, EXPORT.height);
    ctx.strokeStyle = "#cccccc";
    ctx.beginPath(); ctx.moveTo(0, EXPORT.title + EXPORT.height + 10); ctx.lineTo(out.width, EXPORT.title + EXPORT.height + 10); ctx.stroke();
    columns.forEach(function (column, c) {
      var x = 40 + c * (EXPORT.width / columns.length);
      column.forEach(function (entry, r) {
        var y = EXPORT.title + EXPORT.height + 36 + r * EXPORT.legendRow;
        ctx.fillStyle = "#222222";
        ctx.font = entry.heading ? "bold 24px sans-serif" : "22px sans-serif";
        if (entry.heading) { ctx.fillText(entry.heading, x, y); return; }
        if (entry.shape) { drawShape(ctx, entry.shape, x + 12, y, 11, entry.colour); }
        if (entry.line) { drawLine(ctx, x, y, entry.line); }
        ctx.fillStyle = "#222222";
        ctx.fillText(entry.text, entry.shape || entry.line ? x + 76 : x, y);
      });
    });
    return out;
  }
  function exportPng() {
    var view = network.getViewPosition(), scale = network.getScale(), wasFocused = focused;
    var ratio = window.devicePixelRatio || 1;
    var selected = network.getSelection();
    focused = null;  // the whole network, not veiled, nothing highlighted
    network.unselectAll();
    network.setSize(EXPORT.width / ratio + "px", EXPORT.height / ratio + "px");
    network.fit({ animation: false, maxZoomLevel: 4 });
    network.redraw();
    var canvas = document.querySelector("#mynetwork canvas");
    var inside = 0, shownNodes = 0, shownEdges = 0;
    var positions = network.getPositions();
    N.forEach(function (n, i) {
      if (hiddenNode[i]) { return; }
      shownNodes++;
      var p = network.canvasToDOM(positions[n[NF.id]]);
      if (p.x >= 0 && p.y >= 0 && p.x <= EXPORT.width / ratio && p.y <= EXPORT.height / ratio) { inside++; }
    });
    hiddenEdge.forEach(function (h) { if (!h) { shownEdges++; } });
    var out = composeExport(canvas, shownNodes, shownEdges);
    focused = wasFocused;
    network.setSelection(selected, { unselectAll: true, highlightEdges: false });
    network.setSize("100%", "100%");
    network.moveTo({ position: view, scale: scale, animation: false });
    network.redraw();
    document.body.setAttribute("data-exported", JSON.stringify({ width: out.width, height: out.height, nodes: shownNodes, inside: inside }));
    var link = document.createElement("a");
    link.download = "karta.png";
    link.href = out.toDataURL("image/png");
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  // --- Events --------------------------------------------------------------------------------
  network.on("afterDrawing", drawVeil);
  // A line's tooltip is given when the pointer first rests on it, not to all lines up front.
  network.on("hoverEdge", function (params) {
    var j = edgeAt[params.edge];
    if (j !== undefined && !titled[j]) { titled[j] = true; edges.update({ id: params.edge, title: edgeTitle(j) }); }
  });
  network.on("click", function (params) {
    if (params.nodes.length) { focusNode(params.nodes[0], false); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
    else if (focused !== null) { clearFocus(); }
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
  fillFilters();
  document.querySelectorAll("#sv-filters input, #sv-filters select").forEach(function (box) {
    box.addEventListener(box.type === "number" || box.type === "range" ? "input" : "change", applyFilters);
  });
  document.getElementById("sv-size").addEventListener("change", restyle);
  document.getElementById("sv-colour").addEventListener("change", restyle);
  document.getElementById("sv-png").addEventListener("click", exportPng);
  document.getElementById("sv-clear").addEventListener("click", clearFocus);
  window.samverkanKind = function (id) { return N[at[id]][NF.kind]; };
  window.samverkan = { focus: search, focusNode: focusNode, clearFocus: clearFocus, showNode: showNode, showEdge: showEdge,
                       applyFilters: applyFilters, neighbourhood: function () { return veil; }, lookup: lookup, exportPng: exportPng, edgeData: function (id) {
                         var e = E[edgeAt[id]], out = {};
                         info.edgeFields.forEach(function (f, k) { out[f] = e[k]; });
                         return out;
                       } };
})();
