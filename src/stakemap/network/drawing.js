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
    n.name = n.label;  // vis-network's label is the name, or "" while it is left off (below)
    n.title = n.t ? n.name + "\n" + n.t : n.name;
    n.shape = style[0];
    n.borderWidth = n.w || 1;
    n.byStance = fill(style[1], heavy);
    n.byCommunity = fill(n.c && n.c <= COMMUNITY.length ? COMMUNITY[n.c - 1] : OTHER, heavy);
    n.color = n.byStance;
    if (n.d) { n.shapeProperties = {borderDashes: [5, 4]}; }
    delete n.t; delete n.k; delete n.w; delete n.d;
  });
  // Ties are drawn by this page (see "Ties" below), not as vis-network edges: a tie is its two
  // ends, strength, width, extra text and whether it bends (a tie both ways bends both).
  var N = data.nodes.length;
  var pairs = new Set(data.edges.map(function (e) { return e[0] * N + e[1]; }));
  var ties = data.edges.map(function (e) {
    var w = e[2];
    return {from: e[0], to: e[1], w: w, width: Math.round((1 + 0.8 * Math.abs(w)) * 10) / 10,
            text: e.length > 3 ? data.texts[e[3]] : null, bent: pairs.has(e[1] * N + e[0]),
            on: true};
  });
  delete data.edges;
  var status = document.getElementById("status");
  var idByName = new Map(data.nodes.map(function (n) { return [n.name, n.id]; }));
  var nameById = new Map(data.nodes.map(function (n) { return [n.id, n.name]; }));
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
  // Every label starts left off (no label, and a transparent font, the default below) and the
  // ones with room get their name and a visible font before the first drawing, so a dense map
  // measures, draws and updates only the names it shows: vis-network measured every label,
  // 0.2 s of a 2,000-person drawing's start, for names it never drew.
  var QUIET = {size: 1, color: "rgba(0,0,0,0)", strokeWidth: 0};
  var quiet = new Set(data.nodes.map(function (n) { return n.id; }));
  var widths = new Map(), kept = null, measure = null;
  var SCREEN = 15, first = fitFor(data.nodes.filter(function (n) { return !n.hidden; }));
  var labelSize = first ? first.size : LABEL_SIZE;
  if (first) {
    quiet = quietAt(first.scale, data.nodes);  // ids are places in data.nodes
    data.nodes.forEach(function (n) { if (!quiet.has(n.id)) { n.font = fontFor(n, true); } });
  }
  data.nodes.forEach(function (n) { n.label = quiet.has(n.id) ? "" : n.name; });
  // An arrowhead is drawn only where it is at least ARROW_PX long on screen: zoomed out over
  // thousands of ties they are specks, and filling one path each was most of the drawing's
  // time. vis-network's arrowhead is 15 x scaleFactor + 3 x the tie's width long.
  var ARROW_UNITS = 15 * 0.55 + 3 * 1.8, ARROW_PX = 4;
  function arrowsAt(scale) { return scale * ARROW_UNITS >= ARROW_PX; }
  var arrows = arrowsAt(first ? first.scale : 1.2);
  var TIP_DELAY = 120;  // ms a pointer rests on a person or a tie before its tooltip shows
  var nodes = new vis.DataSet(data.nodes);
  var network = new vis.Network(document.getElementById("network"), {nodes: nodes}, {
    physics: false,
    layout: {improvedLayout: false},
    interaction: {hover: true, tooltipDelay: TIP_DELAY,
                  keyboard: {enabled: true, bindToWindow: false}},
    nodes: {font: {size: QUIET.size, face: LABEL_FACE, color: QUIET.color,
                   strokeWidth: QUIET.strokeWidth, strokeColor: "#ffffff"}}
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
        var lines = String(n.name).split("\n").length;
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
      return {name: n.name, id: n.id, size: n.size, x: where[n.id].x, y: where[n.id].y};
    }));
    if (!fit) { return; }
    network.moveTo({position: {x: fit.x, y: fit.y}, scale: fit.scale, animation: false});
    declutter(sizeLabels(fit.scale));
  }
  // Ties. vis-network builds an object of merged options for each edge (0.35-1 s for the 10,000
  // ties of a 2,000-person map, most of its first frame), so the page draws the ties itself on
  // vis-network's canvas, under the people, in one path per look; it shows their tooltips and
  // the looks vis-network gave them: grey, or red and dashed when repelling; darker and wider
  // round the people selected and under the pointer; faded outside a highlighted
  // neighbourhood; bent like vis-network's "curvedCW" when tied both ways; arrowheads only
  // where they can be seen; hidden with either end, and while a large map moves.
  var EDGE = {color: "#8c8c8c", highlight: "#303030"};
  var FADED = "#ececec", BEND = 0.15, HOVER_WIDTH = 1, SELECTION_WIDTH = 1.5;
  var ARROW = [[0, 0], [-1, 0.3], [-0.9, 0], [-1, -0.3]];  // vis-network's arrowhead, unit long
  var moving = false, hovered = null;

  function via(a, b) {  // vis-network's curvedCW control point for a tie from a to b
    var dx = b.x - a.x, dy = a.y - b.y, r = Math.sqrt(dx * dx + dy * dy);
    var angle = (Math.atan2(dy, dx) + (0.5 * BEND + 0.5) * Math.PI) % (2 * Math.PI);
    var k = (0.5 * BEND + 0.5) * r;
    return {x: a.x + k * Math.sin(angle), y: a.y + k * Math.cos(angle)};
  }
  function shownTie(t) { return !data.nodes[t.from].hidden && !data.nodes[t.to].hidden; }
  function tieLook(t, chosen) {
    var selected = chosen.has(t.from) || chosen.has(t.to), under = t === hovered;
    var colour = !t.on ? FADED : t.w < 0 ? REPEL :
      selected || under ? EDGE.highlight : EDGE.color;
    var width = t.width + (under ? HOVER_WIDTH : 0) + (selected ? SELECTION_WIDTH : 0);
    return {colour: colour, width: width, dashed: t.w < 0};
  }
  function drawTies(ctx) {
    if (moving && data.large) { return; }
    var scale = network.getScale(), box = network.getViewPosition();
    var frame = document.getElementById("network");
    var halfW = frame.clientWidth / 2 / scale + 20, halfH = frame.clientHeight / 2 / scale + 20;
    var chosen = new Set(network.getSelectedNodes()), looks = new Map();
    ties.forEach(function (t) {
      if (!shownTie(t)) { return; }
      var a = network.body.nodes[t.from], b = network.body.nodes[t.to];
      var c = t.bent ? via(a, b) : null;
      var xs = c ? [a.x, b.x, c.x] : [a.x, b.x], ys = c ? [a.y, b.y, c.y] : [a.y, b.y];
      if (Math.max.apply(null, xs) < box.x - halfW || Math.min.apply(null, xs) > box.x + halfW ||
          Math.max.apply(null, ys) < box.y - halfH || Math.min.apply(null, ys) > box.y + halfH) {
        return;
      }
      var look = tieLook(t, chosen);
      var key = look.colour + "|" + look.width + "|" + look.dashed;
      if (!looks.has(key)) { looks.set(key, {look: look, ties: []}); }
      looks.get(key).ties.push([t, a, b, c]);
    });
    // faded first, then plain, then the ties that stand out, each look one stroke
    var order = Array.from(looks.values()).sort(function (p, q) {
      return rank(p.look) - rank(q.look) || p.look.width - q.look.width;
    });
    order.forEach(function (group) {
      var look = group.look;
      ctx.beginPath();
      group.ties.forEach(function (item) {
        var a = item[1], b = item[2], c = item[3];
        ctx.moveTo(a.x, a.y);
        if (c) { ctx.quadraticCurveTo(c.x, c.y, b.x, b.y); } else { ctx.lineTo(b.x, b.y); }
      });
      ctx.lineWidth = Math.max(look.width, 0.3 / scale);
      ctx.strokeStyle = look.colour;
      ctx.setLineDash(look.dashed ? [5, 5] : []);
      ctx.stroke();
      if (arrows) { drawArrowheads(ctx, group.ties, look); }
    });
    ctx.setLineDash([]);
  }
  function rank(look) {
    return look.colour === FADED ? 0 : look.colour === EDGE.highlight ? 2 : 1;
  }
  function drawArrowheads(ctx, items, look) {
    ctx.beginPath();
    items.forEach(function (item) {
      var a = item[1], b = item[2], c = item[3] || a;
      var angle = Math.atan2(b.y - c.y, b.x - c.x);
      var border = b.distanceToBorder(ctx, angle);
      var length = 15 * 0.55 + 3 * look.width;
      var tipX = b.x - border * Math.cos(angle), tipY = b.y - border * Math.sin(angle);
      ARROW.forEach(function (p, i) {
        var x = tipX + length * (p[0] * Math.cos(angle) - p[1] * Math.sin(angle));
        var y = tipY + length * (p[0] * Math.sin(angle) + p[1] * Math.cos(angle));
        if (i === 0) { ctx.moveTo(x, y); } else { ctx.lineTo(x, y); }
      });
      ctx.closePath();
    });
    ctx.fillStyle = look.colour;
    ctx.setLineDash([]);
    ctx.fill();
  }
  network.on("beforeDrawing", drawTies);

  // The tie under a point of the drawing, if one passes within a few pixels: the nearest.
  function tieAt(point) {
    var scale = network.getScale(), best = null, bestGap = Infinity;
    ties.forEach(function (t) {
      if (!shownTie(t)) { return; }
      var a = network.body.nodes[t.from], b = network.body.nodes[t.to];
      var gap = t.bent ? curveGap(point, a, via(a, b), b) : segmentGap(point, a, b);
      if (gap <= t.width / 2 + 4 / scale && gap < bestGap) { best = t; bestGap = gap; }
    });
    return best;
  }
  function segmentGap(p, a, b) {
    var dx = b.x - a.x, dy = b.y - a.y, length = dx * dx + dy * dy;
    var k = length ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length)) : 0;
    return Math.hypot(p.x - a.x - k * dx, p.y - a.y - k * dy);
  }
  function curveGap(p, a, c, b) {  // the curve as 12 straight pieces
    var gap = Infinity, last = a;
    for (var i = 1; i <= 12; i++) {
      var k = i / 12, m = 1 - k;
      var next = {x: m * m * a.x + 2 * m * k * c.x + k * k * b.x,
                  y: m * m * a.y + 2 * m * k * c.y + k * k * b.y};
      gap = Math.min(gap, segmentGap(p, last, next));
      last = next;
    }
    return gap;
  }
  function tieTitle(t) {
    var text = say(t.w < 0 ? WORDS.repels : WORDS.influences,
                   {source: data.nodes[t.from].name, target: data.nodes[t.to].name,
                    strength: (t.w > 0 ? "+" : "") + t.w});
    return t.text === null ? text : text + "\n" + t.text;
  }
  var tip = null, tipTimer = null, pointing = null;
  function showTip(t, where) {
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "tie-tooltip";
      document.getElementById("network").appendChild(tip);
    }
    tip.textContent = tieTitle(t);  // text only, never markup
    var frame = document.getElementById("network");
    tip.style.left = Math.max(0, Math.min(where.x + 12, frame.clientWidth - tip.offsetWidth)) + "px";
    tip.style.top = Math.max(0, Math.min(where.y + 12, frame.clientHeight - tip.offsetHeight)) +
      "px";
    tip.style.visibility = "visible";
  }
  function hideTip() {
    if (tipTimer) { clearTimeout(tipTimer); tipTimer = null; }
    if (tip) { tip.style.visibility = "hidden"; }
  }
  function hover(t, where) {
    if (t !== hovered) {
      hovered = t;
      hideTip();
      if (firstDrawDone) { network.redraw(); }
    }
    if (t && !tipTimer && (!tip || tip.style.visibility !== "visible")) {
      tipTimer = setTimeout(function () { tipTimer = null; showTip(t, where); }, TIP_DELAY);
    }
  }
  var frameElement = document.getElementById("network");
  frameElement.addEventListener("pointermove", function (event) {
    var first = pointing === null;
    pointing = {x: event.offsetX, y: event.offsetY, target: event.target};
    if (!first) { return; }
    requestAnimationFrame(function () {  // once a frame, however fast the pointer moves
      var where = pointing;
      pointing = null;
      var onCanvas = where.target.tagName === "CANVAS";
      var onPerson = onCanvas && network.getNodeAt(where) !== undefined;
      hover(onCanvas && !onPerson && !moving ? tieAt(network.DOMtoCanvas(where)) : null, where);
    });
  });
  frameElement.addEventListener("pointerleave", function () { hover(null, null); });
  network.on("dragStart", function () { moving = true; hover(null, null); });
  network.on("dragEnd", function () { moving = false; network.redraw(); });
  network.on("zoom", function () { moving = true; hover(null, null); });

  var firstDrawDone = false;  // see redraw()
  fitShown();
  window.network = network;
  network.once("afterDrawing", function () {
    firstDrawDone = true;
    window.stakemapFirstDraw = performance.now();
    document.documentElement.setAttribute("data-drawn", "1");
  });

  var neighbours = new Map();
  ties.forEach(function (e) {
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
  function labelled(n, on) { return {label: quiet.has(n.id) ? "" : n.name, font: fontFor(n, on)}; }
  function labelWidth(n) {
    if (!widths.has(n.id)) {
      if (!measure) {
        measure = document.createElement("canvas").getContext("2d");
        measure.font = LABEL_SIZE + "px " + LABEL_FACE;
      }
      var ctx = measure;
      widths.set(n.id, Math.max.apply(null, String(n.name).split("\n").map(function (l) {
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
      var lines = String(n.name).split("\n").length;
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
  // every node itself and redraws once. Whether it redrew.
  function declutter(resized, apply) {
    var ids = data.nodes.filter(function (n) { return !n.hidden; }).map(function (n) {
      return n.id;
    });
    var next = quietAt(network.getScale(), network.getPositions(ids));
    var changed = data.nodes.filter(function (n) {
      return next.has(n.id) !== quiet.has(n.id) || (resized && !next.has(n.id));
    });
    quiet = next;
    var redrawn = Boolean(changed.length && apply !== false);
    if (redrawn) {
      changed.forEach(function (n) { restyle(n.id, labelled(n, !kept || kept.has(n.id))); });
      redraw();
    }
    tellQuiet();
    return redrawn;
  }

  function tellQuiet() {
    document.getElementById("quiet").textContent =
      (quiet.size ? " " + counted(WORDS.quiet, quiet.size) : "") +
      (arrows ? "" : " " + WORDS.arrows);
    window.stakemapQuiet = quiet.size;
    window.stakemapArrows = arrows;
  }
  var settle = null;
  function declutterSoon() {  // once a zoom or drag has settled; a zoom resizes the labels
    if (settle) { clearTimeout(settle); }
    settle = setTimeout(function () {
      settle = null;
      var scale = network.getScale(), flipped = arrowsAt(scale) !== arrows;
      var hidden = moving && data.large;  // the ties left off while the map moved
      arrows = arrowsAt(scale);
      moving = false;
      if (!declutter(sizeLabels(scale)) && (flipped || hidden)) { redraw(); }
    }, 120);
  }
  network.on("zoom", declutterSoon);
  network.on("dragEnd", declutterSoon);

  function paint(keep) {
    kept = keep;
    declutter(false, false);
    data.nodes.forEach(function (n) {
      var on = !keep || keep.has(n.id);
      var options = labelled(n, on);
      options.color = on ? n.color : {background: "#eeeeee", border: "#d0d0d0"};
      restyle(n.id, options);
    });
    ties.forEach(function (t) { t.on = !keep || (keep.has(t.from) && keep.has(t.to)); });
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

  var selectedId = null;
  function select(id) {
    selectedId = id;
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
    selectedId = null;
    if (dimmed) { paint(null); }
    status.textContent = WORDS.idle;
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      select(params.nodes[0]);
      tell("network-click", nameById.get(params.nodes[0]));
    } else if (tieAt(params.pointer.canvas)) {  // a click on a tie keeps the highlight
      if (selectedId !== null) { network.selectNodes([selectedId]); }
    } else {
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
