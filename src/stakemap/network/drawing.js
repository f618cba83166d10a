(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("stakemap-data").textContent);
  // The payload carries each node and tie once, compactly (netview.wire): rebuild the styles.
  var REPEL = "__REPEL__", COMMUNITY = __COMMUNITY__, OTHER = "__OTHER__";
  // The page's words come in the payload, in the reader's language: {name} parts filled here.
  var WORDS = data.words;
  function say(text, parts) {
    return text.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(parts, key) ? String(parts[key]) : all;
    });
  }
  function counted(forms, n) { return say(n === 1 ? forms[0] : forms[1], {n: n}); }
  function fill(colour, heavy) {
    return {background: colour, border: heavy ? "#1a1a1a" : "#4d4d4d",
            highlight: {background: colour, border: "#000000"},
            hover: {background: colour, border: "#000000"}};
  }
  data.nodes.forEach(function (n, i) {
    var heavy = (n.w || 1) > 1, style = data.styles[n.k];
    n.id = i;
    n.title = n.t ? n.label + "\n" + n.t : n.label;
    n.shape = style[0];
    n.borderWidth = n.w || 1;
    n.byStance = fill(style[1], heavy);
    n.byCommunity = fill(n.c && n.c <= COMMUNITY.length ? COMMUNITY[n.c - 1] : OTHER, heavy);
    n.color = n.byStance;
    if (n.d) { n.shapeProperties = {borderDashes: [5, 4]}; }
    delete n.t; delete n.k; delete n.w; delete n.d;
  });
  var pairs = new Set(data.edges.map(function (e) { return e[0] + "," + e[1]; }));
  data.edges = data.edges.map(function (e, i) {
    var w = e[2];
    var tie = {id: i, from: e[0], to: e[1], width: Math.round((1 + 0.8 * Math.abs(w)) * 10) / 10,
               title: say(w < 0 ? WORDS.repels : WORDS.influences,
                          {source: data.nodes[e[0]].label, target: data.nodes[e[1]].label,
                           strength: (w > 0 ? "+" : "") + w}) +
                 (e.length > 3 ? "\n" + data.texts[e[3]] : "")};
    if (w < 0) { tie.dashes = true; tie.color = {color: REPEL, highlight: REPEL, hover: REPEL}; }
    if (pairs.has(e[1] + "," + e[0])) {
      tie.smooth = {enabled: true, type: "curvedCW", roundness: 0.15};
    }
    return tie;
  });
  var status = document.getElementById("status");
  var idByName = new Map(data.nodes.map(function (n) { return [n.label, n.id]; }));
  var nameById = new Map(data.nodes.map(function (n) { return [n.id, n.label]; }));
  var moved = new Map();

  function storage() {
    try { return data.storageKey ? window.sessionStorage : null; } catch (e) { return null; }
  }
  var store = storage();
  if (store) {
    var saved = [];
    try { saved = JSON.parse(store.getItem(data.storageKey) || "[]"); } catch (e) { saved = []; }
    var byId = new Map(data.nodes.map(function (n) { return [n.id, n]; }));
    (Array.isArray(saved) ? saved : []).forEach(function (item) {
      if (!Array.isArray(item) || item.length !== 3 || !idByName.has(item[0])) { return; }
      if (!isFinite(item[1]) || !isFinite(item[2])) { return; }
      var node = byId.get(idByName.get(item[0]));
      node.x = Number(item[1]);
      node.y = Number(item[2]);
      moved.set(item[0], [node.x, node.y]);
    });
  }

  var LABEL_SIZE = 16, LABEL_FACE = "system-ui, sans-serif", MARGIN = 16;
  var FONT = {color: "#222222"};
  // Every label starts left off (a transparent font, the default below) and the ones with room
  // get a visible font before the first drawing, so a dense map draws and updates only the
  // names it shows (size 1: vis-network skips a label under 5 px on screen).
  var QUIET = {size: 1, color: "rgba(0,0,0,0)", strokeWidth: 0};
  var quiet = new Set(data.nodes.map(function (n) { return n.id; }));
  var widths = new Map(), kept = null, measure = null;
  var SCREEN = 15, first = fitFor(data.nodes.filter(function (n) { return !n.hidden; }));
  var labelSize = first ? first.size : LABEL_SIZE;
  if (first) {
    quiet = quietAt(first.scale, data.nodes);  // ids are places in data.nodes
    data.nodes.forEach(function (n) { if (!quiet.has(n.id)) { n.font = fontFor(n, true); } });
  }
  // An arrowhead is drawn only where it is at least ARROW_PX long on screen: zoomed out over
  // thousands of ties they are specks, and filling one path each was most of the drawing's
  // time. vis-network's arrowhead is 15 x scaleFactor + 3 x the tie's width long.
  var ARROW_UNITS = 15 * 0.55 + 3 * 1.8, ARROW_PX = 4;
  function arrowsAt(scale) { return scale * ARROW_UNITS >= ARROW_PX; }
  var arrows = arrowsAt(first ? first.scale : 1.2);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var EDGE = {color: "#8c8c8c", highlight: "#303030", hover: "#303030", inherit: false};
  var FADED = {color: "#ececec", highlight: "#ececec", hover: "#ececec"};
  var network = new vis.Network(document.getElementById("network"), {nodes: nodes, edges: edges}, {
    physics: false,
    layout: {improvedLayout: false},
    interaction: {hover: true, tooltipDelay: 120, hideEdgesOnDrag: data.large,
                  hideEdgesOnZoom: data.large, keyboard: {enabled: true, bindToWindow: false}},
    nodes: {font: {size: QUIET.size, face: LABEL_FACE, color: QUIET.color,
                   strokeWidth: QUIET.strokeWidth, strokeColor: "#ffffff"}},
    edges: {arrows: {to: {enabled: arrows, scaleFactor: 0.55}}, smooth: false, color: EDGE,
            selectionWidth: 1.5, hoverWidth: 1}
  });
  var hiddenIds = new Set(data.nodes.filter(function (n) { return n.hidden; })
    .map(function (n) { return n.id; }));
  // Where the app embeds the page (same origin), clicks go up and the app's state comes down.
  var origin = window.parent !== window && window.origin && window.origin !== "null" ?
    window.origin : null;
  function tell(kind, name) {
    if (!origin) { return; }
    try {
      window.parent.postMessage({stakemap: kind, key: data.storageKey, name: name}, origin);
    } catch (e) { /* the app page is gone */ }
  }

  // Labels keep one size on screen at any zoom (SCREEN px, so a name stays readable when the
  // drawing is zoomed out to fit), which is why zooming in makes room for names left off.
  function sizeLabels(scale) {
    var size = Math.round(10 * SCREEN / scale) / 10;
    var resized = size !== labelSize;
    labelSize = size;
    return resized;
  }

  // Where to look so the people shown fit the frame, labels included: vis-network's own fit
  // runs before any label is measured and so cuts long labels at the edge. Labels sit centred
  // under a node and are SCREEN px high whatever the scale, so the fit is a fixed point.
  function fitFor(shown) {
    if (!shown.length) { return null; }
    var frame = document.getElementById("network");
    var room = {w: Math.max(frame.clientWidth - 2 * MARGIN, 40),
                h: Math.max(frame.clientHeight - 2 * MARGIN, 40)};
    var scale = 1.2, box = null;
    for (var round = 0; round < 6; round++) {
      var size = SCREEN / scale;
      box = {left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity};
      shown.forEach(function (n) {
        var lines = String(n.label).split("\n").length;
        var half = Math.max(n.size, labelWidth(n) * size / LABEL_SIZE / 2 + 4 / scale);
        box.left = Math.min(box.left, n.x - half);
        box.right = Math.max(box.right, n.x + half);
        box.top = Math.min(box.top, n.y - n.size - 4);
        box.bottom = Math.max(box.bottom, n.y + n.size + 8 + lines * size * 1.3);
      });
      var next = Math.min(1.2, room.w / (box.right - box.left), room.h / (box.bottom - box.top));
      var settled = Math.abs(next - scale) < 1e-3 * scale;
      scale = next;
      if (settled) { break; }
    }
    return {x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2, scale: scale,
            size: Math.round(10 * SCREEN / scale) / 10};
  }

  function fitShown() {
    var shown = data.nodes.filter(function (n) { return !n.hidden; });
    var where = network.getPositions(shown.map(function (n) { return n.id; }));
    var fit = fitFor(shown.map(function (n) {
      return {label: n.label, id: n.id, size: n.size, x: where[n.id].x, y: where[n.id].y};
    }));
    if (!fit) { return; }
    network.moveTo({position: {x: fit.x, y: fit.y}, scale: fit.scale, animation: false});
    declutter(sizeLabels(fit.scale));
  }
  var firstDrawDone = false;  // see redraw()
  fitShown();
  window.network = network;
  network.once("afterDrawing", function () {
    firstDrawDone = true;
    window.stakemapFirstDraw = performance.now();
    document.documentElement.setAttribute("data-drawn", "1");
  });

  var neighbours = new Map();
  data.edges.forEach(function (e) {
    [[e.from, e.to], [e.to, e.from]].forEach(function (p) {
      if (!neighbours.has(p[0])) { neighbours.set(p[0], []); }
      neighbours.get(p[0]).push(p[1]);
    });
  });
  var dimmed = false, colouring = "stance";

  function around(id) {
    var seen = new Map([[id, 0]]);
    var frontier = [id];
    for (var step = 1; step <= data.depth; step++) {
      var next = [];
      frontier.forEach(function (v) {
        (neighbours.get(v) || []).forEach(function (w) {
          if (!seen.has(w)) { seen.set(w, step); next.push(w); }
        });
      });
      frontier = next;
    }
    return seen;
  }

  // A label that would overlap one already drawn is left off (decluttered) until a zoom makes
  // room; the person's tooltip still names them. Labels are kept in order: the highlighted
  // neighbourhood first, then the most powerful (largest), then map order.
  function fontFor(n, on) {
    if (quiet.has(n.id)) { return QUIET; }
    return {size: labelSize, color: on ? FONT.color : "#b5b5b5", strokeWidth: 3};
  }
  function labelWidth(n) {
    if (!widths.has(n.id)) {
      if (!measure) {
        measure = document.createElement("canvas").getContext("2d");
        measure.font = LABEL_SIZE + "px " + LABEL_FACE;
      }
      var ctx = measure;
      widths.set(n.id, Math.max.apply(null, String(n.label).split("\n").map(function (l) {
        return ctx.measureText(l).width;
      })));
    }
    return widths.get(n.id);
  }
  // Which shown people's labels are left off, at this scale and these positions (a map from
  // id to {x, y}): greedy in order of priority, each label kept when it crosses none kept.
  function quietAt(scale, where) {
    var shown = data.nodes.filter(function (n) { return !n.hidden; });
    shown.sort(function (a, b) {
      var ka = kept && kept.has(a.id) ? 0 : 1, kb = kept && kept.has(b.id) ? 0 : 1;
      return ka - kb || b.size - a.size || a.id - b.id;
    });
    var CELL = 64, grid = new Map(), next = new Set();
    shown.forEach(function (n) {
      var p = where[n.id], half = labelWidth(n) * labelSize / LABEL_SIZE / 2 + 2 / scale;
      var lines = String(n.label).split("\n").length;
      var top = p.y + n.size + 2, bottom = top + lines * labelSize * 1.25;
      var box = [(p.x - half) * scale, top * scale, (p.x + half) * scale, bottom * scale];
      var cells = [];
      for (var gx = Math.floor(box[0] / CELL); gx <= Math.floor(box[2] / CELL); gx++) {
        for (var gy = Math.floor(box[1] / CELL); gy <= Math.floor(box[3] / CELL); gy++) {
          cells.push(gx + "," + gy);
        }
      }
      var hit = cells.some(function (c) {
        return (grid.get(c) || []).some(function (o) {
          return box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3];
        });
      });
      if (hit) { next.add(n.id); return; }
      cells.forEach(function (c) {
        if (!grid.has(c)) { grid.set(c, []); }
        grid.get(c).push(box);
      });
    });
    return next;
  }

  // Highlight, colouring and labels change each drawn node's own options, then redraw once:
  // a DataSet update makes vis-network revisit every tie (0.3-0.6 s at 2,000 people each),
  // and the ties' colours are read from their options when drawn. Only the filters, which
  // add and remove people from the drawing, go through the DataSet.
  function restyle(id, options) { network.body.nodes[id].setOptions(options); }
  // Before the first drawing, vis-network's own pending first frame shows every restyle: a
  // redraw then would draw the whole network twice (0.5 s at 5,000 people).
  function redraw() { if (firstDrawDone) { network.redraw(); } }

  // Leave off the labels that would overlap now; with ``apply`` false the caller restyles
  // every node itself and redraws once.
  function declutter(resized, apply) {
    var ids = data.nodes.filter(function (n) { return !n.hidden; }).map(function (n) {
      return n.id;
    });
    var next = quietAt(network.getScale(), network.getPositions(ids));
    var changed = data.nodes.filter(function (n) {
      return next.has(n.id) !== quiet.has(n.id) || (resized && !next.has(n.id));
    });
    quiet = next;
    if (changed.length && apply !== false) {
      changed.forEach(function (n) { restyle(n.id, {font: fontFor(n, !kept || kept.has(n.id))}); });
      redraw();
    }
    tellQuiet();
  }

  function tellQuiet() {
    document.getElementById("quiet").textContent =
      (quiet.size ? " " + counted(WORDS.quiet, quiet.size) : "") +
      (arrows ? "" : " " + WORDS.arrows);
    window.stakemapQuiet = quiet.size;
  }
  var settle = null;
  function declutterSoon() {  // once a zoom or drag has settled; a zoom resizes the labels
    if (settle) { clearTimeout(settle); }
    settle = setTimeout(function () {
      settle = null;
      var scale = network.getScale();
      if (arrowsAt(scale) !== arrows) {
        arrows = !arrows;
        network.setOptions({edges: {arrows: {to: {enabled: arrows}}}});
      }
      declutter(sizeLabels(scale));
    }, 120);
  }
  network.on("zoom", declutterSoon);
  network.on("dragEnd", declutterSoon);

  function paint(keep) {
    kept = keep;
    declutter(false, false);
    data.nodes.forEach(function (n) {
      var on = !keep || keep.has(n.id);
      restyle(n.id, {color: on ? n.color : {background: "#eeeeee", border: "#d0d0d0"},
                     font: fontFor(n, on)});
    });
    data.edges.forEach(function (e) {
      var on = !keep || (keep.has(e.from) && keep.has(e.to));
      var colour = on ? (e.color || EDGE) : FADED;
      var drawn = network.body.edges[e.id].options.color;  // read when the tie is drawn
      drawn.color = colour.color;
      drawn.highlight = colour.highlight;
      drawn.hover = colour.hover;
      drawn.inherit = false;
    });
    redraw();
    dimmed = Boolean(keep);
  }

  // Fill by stance (the default) or by community; shape always says the stance.
  function colourBy(mode) {
    mode = mode === "community" ? "community" : "stance";
    if (mode === colouring) { return; }
    colouring = mode;
    data.nodes.forEach(function (n) {
      n.color = mode === "community" ? n.byCommunity : n.byStance;
    });
    document.getElementById("colour-stance").hidden = mode !== "stance";
    document.getElementById("colour-community").hidden = mode !== "community";
    paint(kept);
  }

  function select(id) {
    var near = around(id);
    paint(near);
    network.selectNodes([id]);
    var count = 0, hidden = 0;
    near.forEach(function (steps, other) {
      if (other === id) { return; }
      if (hiddenIds.has(other)) { hidden += 1; } else { count += 1; }
    });
    var shown = say(WORDS.shown, {name: nameById.get(id), people: counted(WORDS.people, count),
                                  steps: counted(WORDS.steps, data.depth)});
    status.textContent = (hidden ? say(WORDS.hidden, {text: shown, n: hidden}) :
                          say(WORDS.end, {text: shown})) + " " + WORDS.clear;
  }

  function clear() {
    if (dimmed) { paint(null); }
    status.textContent = WORDS.idle;
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      select(params.nodes[0]);
      tell("network-click", nameById.get(params.nodes[0]));
    } else if (!params.edges.length) {
      network.unselectAll();
      clear();
      tell("network-click", null);
    }
  });

  // The app's highlight, depth and filters, applied in place: the page is not rebuilt.
  function filter(groups, stances) {
    var inGroups = Array.isArray(groups) ? new Set(groups) : null;
    var inStances = Array.isArray(stances) ? new Set(stances) : null;
    var changes = [];
    data.nodes.forEach(function (n) {
      var hide = Boolean((inGroups && !inGroups.has(n.g)) || (inStances && !inStances.has(n.s)));
      if (hide !== Boolean(n.hidden)) { n.hidden = hide; changes.push({id: n.id, hidden: hide}); }
      if (hide) { hiddenIds.add(n.id); } else { hiddenIds.delete(n.id); }
    });
    if (changes.length) { nodes.update(changes); fitShown(); }
  }

  function apply(state) {
    if (!state || typeof state !== "object") { return; }
    data.depth = state.depth === 2 ? 2 : 1;
    colourBy(state.colour);
    filter(state.groups, state.stances);
    var id = idByName.get(state.selected);
    if (id !== undefined && !hiddenIds.has(id)) { select(id); }
    else { network.unselectAll(); clear(); }
    window.stakemapApplied = (window.stakemapApplied || 0) + 1;
  }

  window.addEventListener("message", function (event) {
    var message = event.data;
    if (!origin || event.source !== window.parent || event.origin !== origin) { return; }
    if (!message || message.stakemap !== "network-state" || message.key !== data.storageKey) {
      return;
    }
    apply(message.state);
  });
  tell("network-ready", null);

  network.on("dragEnd", function (params) {
    if (!params.nodes.length) { return; }
    var where = network.getPositions(params.nodes);
    params.nodes.forEach(function (id) {
      moved.set(nameById.get(id), [Math.round(where[id].x), Math.round(where[id].y)]);
    });
    if (store) {
      try {
        store.setItem(data.storageKey, JSON.stringify(Array.from(moved, function (kv) {
          return [kv[0], kv[1][0], kv[1][1]];
        })));
      } catch (e) { /* storage full or blocked: moves stay in this page */ }
    }
    status.textContent = counted(WORDS.moved, moved.size) + " " +
      (store ? WORDS.keep : WORDS.unsaved);
  });

  if (data.selected !== null && nameById.has(data.selected)) { select(data.selected); }
}());
