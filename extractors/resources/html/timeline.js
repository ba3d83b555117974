// Draws the timeline page from the JSON view model that extractors/html_view.py embeds.
// Plain browser JavaScript, no libraries and no network. Article text is only ever inserted with
// textContent or as attribute values, never parsed as HTML, so hostile text stays text.
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("timeline-data").textContent);
  const SVG_NS = "http" + "://www.w3.org/2000/svg";  // a namespace name, not something fetched
  const DAY_MS = 86400000;
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const MODALITIES = ["asserted", "planned", "possible", "hypothetical", "negated"];
  const MODALITY_HELP = {
    asserted: "stated as having happened or happening",
    planned: "announced or scheduled, not (yet) happened",
    possible: "may happen or may have happened",
    hypothetical: "only under a condition",
    negated: "stated as not having happened",
  };
  const GUTTER = 150;       // left column of lane names
  const RIGHT = 18;
  const LIST_PAGE = 200;    // table rows added per "show more"
  const LABEL_LIMIT = 150;  // above this many events in view, marks go unlabelled
  const MIN_SPAN = 2;       // days
  const CHAR_PX = 6.1;      // average width of a label character at 11px
  const COVERING_MIN = 3;   // from this many spans wider than the view, they are drawn thin
  const DENSE_LANE = 250;   // above this many events in view, a lane shows counts instead of marks

  const $ = (id) => document.getElementById(id);
  const colourOf = new Map(data.types.map((t) => [t.name, t.colour]));
  const typeIndex = new Map(data.types.map((t, i) => [t.name, i]));
  const events = data.events;
  events.forEach((e, i) => {
    e.i = i;
    e.actorsLower = e.actors.map((a) => a.toLowerCase());
    e.text = [e.headline, e.summary, e.trigger].concat(e.locations).join(" ").toLowerCase();
    e.docs = Array.from(new Set(e.src.map((s) => data.sentences[s[0]][0]))).sort();
    e.tentative = e.modality !== "asserted";
  });
  const byId = new Map(events.map((e) => [e.id, e]));
  const dated = events.filter((e) => e.s !== null);
  const undated = events.filter((e) => e.s === null);

  // ---- helpers -------------------------------------------------------------------------------
  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    if (attrs) for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    if (attrs) for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function dayDate(day) { return new Date(day * DAY_MS); }
  function dayText(day) {
    const d = dayDate(day);
    return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }
  function typeName(t) { return t.replace(/_/g, " "); }
  function truncate(text, n) { return text.length > n ? text.slice(0, n - 1) + "\u2026" : text; }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function badge(kind, text, title) {
    const b = el("span", { class: "badge " + kind }, text);
    if (title) b.title = title;
    return b;
  }

  // ---- extent and initial view -----------------------------------------------------------------
  let extent = [0, 1];
  if (dated.length) {
    extent = [Math.min(...dated.map((e) => e.s)), Math.max(...dated.map((e) => e.e)) + 1];
  }
  function padded(a, b) {
    let span = Math.max(b - a, 10);
    const mid = (a + b) / 2;
    span *= 1.08;
    return [mid - span / 2, mid + span / 2];
  }
  function initialView() {
    if (dated.length >= 20) {
      // A few events decades away would squeeze the rest into a sliver: start on the bulk.
      const starts = dated.map((e) => e.s).sort((a, b) => a - b);
      const ends = dated.map((e) => e.e + 1).sort((a, b) => a - b);
      const lo = starts[Math.floor(0.05 * (starts.length - 1))];
      const hi = ends[Math.ceil(0.95 * (ends.length - 1))];
      if (extent[1] - extent[0] > 4 * Math.max(hi - lo, 1)) return padded(lo, hi);
    }
    return padded(extent[0], extent[1]);
  }

  // ---- state ---------------------------------------------------------------------------------
  const state = {
    types: new Set(data.types.map((t) => t.name)),
    modalities: new Set(MODALITIES),
    actor: "",
    text: "",
    conflictsOnly: false,
    // The page opens on the key events when the timeline marks any; one click shows all.
    keyOnly: events.some((e) => e.key),
    view: initialView(),
    selected: null,
    listInView: true,
    listLimit: LIST_PAGE,
    undatedLimit: LIST_PAGE,
  };
  let filteredDated = dated;
  let filteredUndated = undated;

  // The names that designate a listed actor (extractors/entity_match.py, as `timeline entity`);
  // any other text typed is matched as a part of an actor's name.
  const actorMatches = new Map(Object.entries(data.actor_matches || {}).map(([k, v]) => [k, new Set(v)]));
  function actorPasses(e) {
    const same = actorMatches.get(state.actor);
    if (same) return e.actorsLower.some((a) => same.has(a) || a.includes(state.actor));
    return e.actorsLower.some((a) => a.includes(state.actor));
  }
  function passes(e) {
    if (!state.types.has(e.type) || !state.modalities.has(e.modality)) return false;
    if (state.conflictsOnly && !e.conflicts.length) return false;
    if (state.keyOnly && !e.key) return false;
    if (state.actor && !actorPasses(e)) return false;
    if (state.text && !e.text.includes(state.text)) return false;
    return true;
  }
  let filterVersion = 0;
  function refilter() {
    filterVersion += 1;
    filteredDated = dated.filter(passes);
    filteredUndated = undated.filter(passes);
    state.listLimit = LIST_PAGE;
    state.undatedLimit = LIST_PAGE;
  }
  function inView(e) { return e.e + 1 > state.view[0] && e.s < state.view[1]; }

  // ---- view changes ----------------------------------------------------------------------------
  function setView(a, b) {
    const maxSpan = Math.max((extent[1] - extent[0]) * 3, 60);
    let span = Math.min(Math.max(b - a, MIN_SPAN), maxSpan);
    let mid = (a + b) / 2;
    const lo = extent[0] - span / 2;
    const hi = extent[1] + span / 2;
    mid = Math.min(Math.max(mid, lo + span / 2), hi - span / 2);
    state.view = [mid - span / 2, mid + span / 2];
    state.listLimit = LIST_PAGE;
    schedule();
  }
  function zoom(factor, anchorDay) {
    const [a, b] = state.view;
    const at = anchorDay === undefined ? (a + b) / 2 : anchorDay;
    setView(at - (at - a) * factor, at + (b - at) * factor);
  }
  function reveal(e) {
    if (e.s === null || inView(e)) return;
    const [a, b] = state.view;
    const span = Math.max(b - a, (e.e + 1 - e.s) * 1.5);
    const mid = (e.s + e.e + 1) / 2;
    setView(mid - span / 2, mid + span / 2);
  }

  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; render(); });
  }

  // ---- time axis ticks ---------------------------------------------------------------------------
  const STEPS = [
    ["day", 1], ["day", 2], ["week", 1], ["month", 1], ["month", 3], ["month", 6],
    ["year", 1], ["year", 2], ["year", 5], ["year", 10], ["year", 20], ["year", 50], ["year", 100],
    ["year", 200], ["year", 500], ["year", 1000],
  ];
  const STEP_DAYS = { day: 1, week: 7, month: 30.44, year: 365.25 };
  function ticks(a, b, width, minPx) {
    const perPx = (b - a) / Math.max(width, 1);
    let step = STEPS[STEPS.length - 1];
    for (const s of STEPS) {
      if (STEP_DAYS[s[0]] * s[1] >= minPx * perPx) { step = s; break; }
    }
    const [unit, n] = step;
    const out = [];
    if (unit === "day" || unit === "week") {
      const every = unit === "week" ? 7 : n;
      // Weeks start on Monday; day 0 (1 Jan 1970) was a Thursday.
      const offset = unit === "week" ? 4 : 0;
      let d = Math.ceil((a - offset) / every) * every + offset;
      for (; d <= b; d += every) {
        const date = dayDate(d);
        const first = out.length === 0 || (date.getUTCMonth() === 0 && date.getUTCDate() <= every);
        out.push({ day: d, label: date.getUTCDate() + " " + MONTHS[date.getUTCMonth()] + (first ? " " + date.getUTCFullYear() : ""), major: date.getUTCDate() === 1 });
      }
    } else if (unit === "month") {
      const start = dayDate(Math.floor(a));
      let y = start.getUTCFullYear();
      let m = Math.ceil(start.getUTCMonth() / n) * n;
      for (let guard = 0; guard < 5000; guard++) {
        if (m >= 12) { y += Math.floor(m / 12); m %= 12; }
        const d = Date.UTC(y, m, 1) / DAY_MS;
        if (d > b) break;
        if (d >= a) out.push({ day: d, label: MONTHS[m] + (m === 0 || out.length === 0 ? " " + y : ""), major: m === 0 });
        m += n;
      }
    } else {
      const y0 = dayDate(Math.floor(a)).getUTCFullYear();
      for (let y = Math.ceil(y0 / n) * n, guard = 0; guard < 5000; y += n, guard++) {
        const date = new Date(0);
        date.setUTCFullYear(y, 0, 1);
        const d = date.getTime() / DAY_MS;
        if (d > b) break;
        if (d >= a) out.push({ day: d, label: String(y), major: y % (n * 5) === 0 });
      }
    }
    return out;
  }

  // ---- chart -------------------------------------------------------------------------------------
  const axisSvg = $("axis");
  const chartSvg = $("chart");
  const overviewSvg = $("overview");
  const tooltip = $("tooltip");

  // The lanes box may show a scrollbar; axis and lanes share its inner width so they align.
  // Read once per render, before the DOM changes, so drawing never forces a layout.
  let boxWidth = 800;
  function measure() { boxWidth = Math.max($("lanes-box").clientWidth || 800, 320); }
  function geometry() {
    const width = boxWidth;
    const plotW = width - GUTTER - RIGHT;
    const [a, b] = state.view;
    const x = (d) => GUTTER + ((d - a) / (b - a)) * plotW;
    const day = (px) => a + ((px - GUTTER) / plotW) * (b - a);
    return { width, plotW, x, day };
  }

  function patterns(defs) {
    data.types.forEach((t, i) => {
      const p = svg("pattern", { id: "hatch-" + i, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
      p.appendChild(svg("rect", { width: 6, height: 6, fill: "#fff" }));
      p.appendChild(svg("rect", { width: 2.6, height: 6, fill: t.colour }));
      defs.appendChild(p);
    });
  }

  function markFill(e) {
    if (e.modality === "planned") return "url(#hatch-" + typeIndex.get(e.type) + ")";
    if (e.modality === "asserted") return colourOf.get(e.type);
    return "#fff";
  }

  function drawAxis(g) {
    clear(axisSvg);
    const height = 44;
    axisSvg.setAttribute("width", g.width);
    axisSvg.setAttribute("height", height);
    axisSvg.setAttribute("viewBox", "0 0 " + g.width + " " + height);
    axisSvg.appendChild(svg("rect", { x: 0, y: 0, width: g.width, height, fill: "#fff" }));
    const t = ticks(state.view[0], state.view[1], g.plotW, 78);
    for (const tick of t) {
      const px = g.x(tick.day);
      if (px < GUTTER || px > g.width - RIGHT) continue;
      axisSvg.appendChild(svg("line", { x1: px, x2: px, y1: 20, y2: height, class: "grid" }));
      axisSvg.appendChild(svg("text", { x: px + 3, y: 15, class: "axis-label" + (tick.major ? " major" : "") }, tick.label));
    }
    axisSvg.appendChild(svg("line", { x1: GUTTER, x2: g.width - RIGHT, y1: height - 0.5, y2: height - 0.5, class: "axis-line" }));
    axisSvg.appendChild(svg("text", { x: 8, y: 15, class: "axis-label" }, "time \u2192"));
    axisSvg.appendChild(svg("text", { x: 8, y: 36, class: "axis-label" }, "articles published"));
    for (const [docId, doc] of Object.entries(data.docs)) {
      if (doc.published_day === null || doc.published_day === undefined) continue;
      const px = g.x(doc.published_day + 0.5);
      if (px < GUTTER || px > g.width - RIGHT) continue;
      const tri = svg("path", { d: "M" + (px - 5) + " 27 L" + (px + 5) + " 27 L" + px + " 36 Z", class: "pub" });
      tri.dataset.doc = docId;
      axisSvg.appendChild(tri);
    }
    return t;
  }

  function drawChart() {
    const g = geometry();
    const t = drawAxis(g);
    clear(chartSvg);
    const defs = svg("defs");
    patterns(defs);
    const clip = svg("clipPath", { id: "plot-clip" });
    const clipRect = svg("rect", { x: GUTTER, y: 0, width: g.plotW, height: 10 });
    clip.appendChild(clipRect);
    defs.appendChild(clip);
    chartSvg.appendChild(defs);

    const visible = filteredDated.filter(inView);
    const showLabels = visible.length <= LABEL_LIMIT;
    const rowH = showLabels ? 22 : 16;
    // Few events: each gets its own row when needed (the lanes box scrolls); many: lanes stay
    // short and a lane that cannot show its events one by one shows counts instead.
    const maxRows = showLabels ? 40 : 12;
    const totals = new Map();
    for (const e of filteredDated) totals.set(e.type, (totals.get(e.type) || 0) + 1);
    const laneTypes = data.types.map((t) => t.name).filter((name) => totals.has(name));
    const background = svg("g");
    const grid = svg("g");
    const marks = svg("g", { "clip-path": "url(#plot-clip)" });
    const overlay = svg("g", { "clip-path": "url(#plot-clip)" });
    const gutter = svg("g");
    chartSvg.append(background, grid, marks, overlay, gutter);
    gutter.appendChild(svg("rect", { x: 0, y: 0, width: GUTTER - 1, height: 100000, class: "gutter" }));

    const perType = new Map(laneTypes.map((name) => [name, []]));
    for (const e of visible) perType.get(e.type).push(e);
    // Within a day, events with a stated date take the top rows; tense-only ones go below them.
    for (const list of perType.values()) list.sort((p, q) => p.s - q.s || p.vague - q.vague || p.e - q.e || p.i - q.i);
    const positions = new Map();
    let y = 0;
    laneTypes.forEach((name, laneNo) => {
      // Spans wider than the whole view (a year seen at day zoom) would each take a row and say
      // nothing about where in the view things happen; many of them are drawn thin at the bottom.
      let items = perType.get(name);
      let covering = items.filter((e) => e.s !== e.e && g.x(e.s) <= GUTTER && g.x(e.e + 1) >= g.width - RIGHT);
      if (covering.length >= COVERING_MIN) {
        const wide = new Set(covering);
        items = items.filter((e) => !wide.has(e));
      } else {
        covering = [];
      }
      const rowsEnd = [];
      const placed = [];
      let overlapping = 0;
      for (const e of items) {
        const point = e.s === e.e;
        let x0;
        let x1;
        if (point) {
          const cx = g.x(e.s + 0.5);
          x0 = cx - 6;
          x1 = cx + 6;
        } else {
          x0 = g.x(e.s);
          x1 = Math.max(g.x(e.e + 1), x0 + 5);
        }
        // The headline, a sentence that starts with who acted, reads better cut short than the clause summary.
        let label = showLabels ? truncate(e.headline || e.summary, 44) : "";
        // Labels go right of their mark unless they would run off the plot and fit on the left;
        // when they fit on neither side they are cut to the roomier one.
        const roomRight = g.width - RIGHT - Math.max(x1, GUTTER) - 10;
        const roomLeft = x0 - GUTTER - 10;
        let left = false;
        if (label && label.length * CHAR_PX > roomRight) {
          if (label.length * CHAR_PX <= roomLeft) left = true;
          else {
            left = roomLeft > roomRight;
            const chars = Math.floor(Math.max(roomLeft, roomRight) / CHAR_PX);
            label = chars >= 8 ? truncate(label, chars) : "";
          }
        }
        const labelW = label ? label.length * CHAR_PX + 10 : 0;
        const from = left ? x0 - labelW : Math.max(x0, GUTTER);
        const need = left ? x1 + 2 : Math.max(x1, GUTTER) + (labelW || 2);
        let row = rowsEnd.findIndex((end) => end + 3 <= from);
        if (row < 0 && rowsEnd.length < maxRows) {
          row = rowsEnd.length;
          rowsEnd.push(need);
        } else if (row < 0) {
          // Lane is full at this zoom: overlap where the lane frees up first.
          row = rowsEnd.indexOf(Math.min(...rowsEnd));
          rowsEnd[row] = Math.max(rowsEnd[row], need);
          overlapping += 1;
        } else {
          rowsEnd[row] = need;
        }
        placed.push({ e, point, x0, x1, row, label, left });
      }
      // Too many marks to see one by one at this zoom: show how many events fall where instead.
      const dense = items.length > DENSE_LANE || overlapping > Math.max(3, items.length * 0.05);
      const rows = Math.max(rowsEnd.length, 1);
      const thin = Math.min(covering.length, 6);
      const bandH = dense ? 50 : rows * rowH + 10;
      const laneH = Math.max(bandH + (thin ? thin * 5 + 18 : 0), 42);
      background.appendChild(svg("rect", { x: 0, y, width: g.width, height: laneH, class: "lane-bg" + (laneNo % 2 ? " alt" : "") }));
      gutter.appendChild(svg("rect", { x: 10, y: y + 9, width: 10, height: 10, rx: 2, fill: colourOf.get(name) }));
      gutter.appendChild(svg("text", { x: 26, y: y + 18, class: "lane-label" }, typeName(name)));
      const total = totals.get(name);
      gutter.appendChild(svg("text", { x: 26, y: y + 32, class: "lane-count" },
        items.length === total ? plural(total, "event") : items.length + " of " + total + " in view"));
      if (thin) {
        const top = y + bandH;
        marks.appendChild(svg("text", { x: GUTTER + 6, y: top + 10, class: "lane-count" },
          plural(covering.length, "longer event") + " cover the whole range shown" + (covering.length > thin ? " (" + thin + " drawn)" : "")));
        covering.slice(0, thin).forEach((e, k) => {
          const bar = svg("rect", { x: GUTTER, y: top + 14 + k * 5, width: g.plotW, height: 3.5,
            fill: markFill(e), stroke: colourOf.get(e.type), class: "mark thin " + e.modality + (state.selected === e ? " selected" : "") });
          bar.dataset.id = e.id;
          marks.appendChild(bar);
        });
      }
      if (dense) {
        const most = drawDensity(marks, g, items, name, y, bandH);
        gutter.appendChild(svg("text", { x: 26, y: y + 44, class: "lane-count" }, "bar \u2264 " + most + ", zoom in for each"));
        y += laneH;
        return;
      }
      for (const p of placed) {
        const cy = y + 5 + p.row * rowH + rowH / 2;
        const e = p.e;
        const colour = colourOf.get(e.type);
        let node;
        if (p.point) {
          node = svg("circle", { cx: (p.x0 + p.x1) / 2, cy, r: 5.5 });
        } else {
          node = svg("rect", { x: p.x0, y: cy - 6, width: p.x1 - p.x0, height: 12, rx: 3 });
          if (e.modality === "asserted") node.setAttribute("fill-opacity", "0.8");
        }
        node.setAttribute("fill", markFill(e));
        node.setAttribute("stroke", colour);
        node.setAttribute("class", "mark " + e.modality + (e.vague ? " vague" : "") + (state.selected === e ? " selected" : ""));
        node.dataset.id = e.id;
        marks.appendChild(node);
        if (e.modality === "negated") {
          marks.appendChild(svg("line", { x1: p.x0, x2: p.x1, y1: cy, y2: cy, class: "negation-bar" }));
        }
        if (e.conflicts.length) {
          const fx = p.x1 - 1;
          marks.appendChild(svg("path", { d: "M" + (fx - 4) + " " + (cy - 5) + " L" + (fx + 4) + " " + (cy - 5) + " L" + fx + " " + (cy - 12) + " Z", class: "conflict-flag" }));
        }
        if (p.label) {
          marks.appendChild(svg("text", {
            x: p.left ? p.x0 - 5 : p.x1 + 5, y: cy + 4, "text-anchor": p.left ? "end" : "start",
            class: "mark-label" + (e.tentative ? " tentative" : ""),
          }, p.label));
        }
        positions.set(e, { cy, x0: p.x0, x1: p.x1 });
      }
      y += laneH;
    });
    if (!laneTypes.length) {
      chartSvg.appendChild(svg("text", { x: GUTTER + 12, y: 28, class: "empty-note" },
        dated.length ? "No dated event matches the filters." : "No event has a date; see the undated list below."));
      y = 44;
    }
    for (const tick of t) {
      const px = g.x(tick.day);
      if (px >= GUTTER && px <= g.width - RIGHT) grid.appendChild(svg("line", { x1: px, x2: px, y1: 0, y2: y, class: "grid" }));
    }
    gutter.appendChild(svg("line", { x1: GUTTER - 0.5, x2: GUTTER - 0.5, y1: 0, y2: y, class: "gutter-line" }));
    drawConflicts(overlay, g, positions);
    clipRect.setAttribute("height", y);
    chartSvg.setAttribute("width", g.width);
    chartSvg.setAttribute("height", y);
    chartSvg.setAttribute("viewBox", "0 0 " + g.width + " " + y);
    // The scale, for anyone (tests included) who wants to map a date to a pixel: x = left + (day - start) / (end - start) * width.
    Object.assign(chartSvg.dataset, { viewStart: state.view[0], viewEnd: state.view[1], plotLeft: GUTTER, plotWidth: g.plotW });
    $("view-range").textContent = dayText(Math.floor(state.view[0])) + " \u2013 " + dayText(Math.floor(state.view[1] - 1e-9)) +
      " \u00b7 " + plural(visible.length, "event") + " in view";
  }

  function drawDensity(layer, g, items, name, top, height) {
    const binPx = 4;
    const bins = Math.ceil(g.plotW / binPx);
    const counts = new Array(bins).fill(0);
    for (const e of items) {
      const x0 = e.s === e.e ? g.x(e.s + 0.5) : g.x(e.s);
      const x1 = e.s === e.e ? x0 : g.x(e.e + 1);
      const b0 = Math.max(0, Math.floor((x0 - GUTTER) / binPx));
      const b1 = Math.min(bins - 1, Math.floor((x1 - GUTTER - 0.001) / binPx));
      for (let b = b0; b <= Math.max(b0, b1) && b < bins; b++) counts[b] += 1;
    }
    const most = Math.max(1, ...counts);
    const colour = colourOf.get(name);
    const base = top + height - 6;
    counts.forEach((n, b) => {
      if (!n) return;
      const h = 3 + (height - 16) * (n / most);
      const bar = svg("rect", { x: GUTTER + b * binPx, y: base - h, width: binPx - 0.6, height: h, fill: colour, class: "bin" });
      bar.dataset.count = n;
      bar.dataset.type = name;
      bar.dataset.from = g.day(GUTTER + b * binPx);
      bar.dataset.to = g.day(GUTTER + (b + 1) * binPx);
      layer.appendChild(bar);
    });
    return most;
  }

  function drawConflicts(layer, g, positions) {
    // The alternative dates some articles give are drawn for the selected event only; a red
    // flag on every conflicting mark says there is something to look at.
    const e = state.selected;
    if (!e || !positions.has(e)) return;
    const pos = positions.get(e);
    for (const c of e.conflicts) {
      if (c.s === null) continue;
      const point = c.s === c.e;
      const x0 = point ? g.x(c.s + 0.5) - 5 : g.x(c.s);
      const x1 = point ? g.x(c.s + 0.5) + 5 : Math.max(g.x(c.e + 1), x0 + 5);
      layer.appendChild(svg("rect", { x: x0, y: pos.cy - 7, width: x1 - x0, height: 14, rx: 3, class: "conflict-span" }));
      const from = (pos.x0 + pos.x1) / 2;
      const to = (x0 + x1) / 2;
      layer.appendChild(svg("path", { d: "M" + from + " " + (pos.cy - 7) + " Q" + (from + to) / 2 + " " + (pos.cy - 26) + " " + to + " " + (pos.cy - 7), class: "conflict-link" }));
      layer.appendChild(svg("text", { x: x1 + 4, y: pos.cy + 16, class: "conflict-text" }, c.label + " per " + c.docs.join(", ")));
    }
  }

  // ---- overview strip ------------------------------------------------------------------------------
  let overviewKey = null;
  let overviewWindow = null;
  function drawOverview() {
    const width = boxWidth;
    const height = 46;
    const plotW = width - GUTTER - RIGHT;
    const [a, b] = padded(extent[0], extent[1]);
    const x = (d) => GUTTER + ((d - a) / (b - a)) * plotW;
    const w0 = Math.max(x(state.view[0]), GUTTER);
    const w1 = Math.min(x(state.view[1]), width - RIGHT);
    // Zooming and panning only move the window; the histogram changes with filters and size.
    const key = filterVersion + "/" + width;
    if (key === overviewKey) {
      overviewWindow.setAttribute("x", w0);
      overviewWindow.setAttribute("width", Math.max(w1 - w0, 3));
      return;
    }
    overviewKey = key;
    clear(overviewSvg);
    overviewSvg.setAttribute("width", width);
    overviewSvg.setAttribute("viewBox", "0 0 " + width + " " + height);
    overviewSvg.appendChild(svg("text", { x: 8, y: 20, class: "ov-label" }, "all dated events"));
    overviewSvg.appendChild(svg("text", { x: 8, y: 34, class: "ov-label" }, "drag to pick a range"));
    const bins = Math.max(Math.floor(plotW / 3), 1);
    const counts = new Array(bins).fill(0);
    for (const e of filteredDated) {
      const i = Math.min(bins - 1, Math.max(0, Math.floor(((e.s + e.e + 1) / 2 - a) / (b - a) * bins)));
      counts[i] += 1;
    }
    const most = Math.max(1, ...counts);
    counts.forEach((n, i) => {
      if (!n) return;
      const h = Math.max(2, Math.sqrt(n / most) * 26);
      overviewSvg.appendChild(svg("rect", { x: GUTTER + (i * plotW) / bins, y: 30 - h, width: Math.max(plotW / bins - 0.6, 1), height: h, class: "ov-bar" }));
    });
    for (const tick of ticks(a, b, plotW, 90)) {
      overviewSvg.appendChild(svg("text", { x: x(tick.day) + 2, y: 42, class: "ov-label" }, tick.label));
    }
    overviewWindow = svg("rect", { x: w0, y: 1, width: Math.max(w1 - w0, 3), height: height - 2, class: "ov-window" });
    overviewSvg.appendChild(overviewWindow);
    overviewSvg.dataset.a = a;
    overviewSvg.dataset.b = b;
  }

  // ---- tables -------------------------------------------------------------------------------------
  function eventRow(e) {
    const tr = el("tr", { "data-id": e.id });
    if (e.tentative) tr.classList.add("tentative");
    if (state.selected === e) tr.classList.add("selected");
    tr.appendChild(el("td", { class: "date" }, e.label));
    const type = el("td", { class: "type" });
    const dot = el("span", { class: "type-dot" });
    dot.style.background = colourOf.get(e.type);
    type.append(dot, typeName(e.type));
    tr.appendChild(type);
    const what = el("td", { class: "what" });
    what.append(e.headline + " ");
    if (e.modality !== "asserted") what.appendChild(badge(e.modality, e.modality, MODALITY_HELP[e.modality]));
    if (e.conflicts.length) {
      what.append(" ");
      what.appendChild(badge("conflict", "dates disagree", e.conflicts.map((c) => c.label + " per " + c.docs.join(", ")).join("; ")));
    }
    tr.appendChild(what);
    tr.appendChild(el("td", { class: "actors" }, e.actors.join(", ")));
    tr.appendChild(el("td", { class: "docs" }, e.docs.join(" ")));
    return tr;
  }

  function fillTable(tableId, moreId, rows, limit, onMore) {
    const body = $(tableId).tBodies[0];
    clear(body);
    const frag = document.createDocumentFragment();
    for (const e of rows.slice(0, limit)) {
      frag.appendChild(eventRow(e));
      if (e === state.selected) {
        // The side panel is out of sight down here: open the details under the row as well.
        const td = el("td", { colspan: 5 });
        const box = el("div", { class: "details inline" });
        fillDetails(box, e);
        td.appendChild(box);
        const tr = el("tr", { class: "detail-row" });
        tr.appendChild(td);
        frag.appendChild(tr);
      }
    }
    if (!rows.length) {
      const td = el("td", { colspan: 5, class: "muted" }, "None.");
      const tr = el("tr");
      tr.appendChild(td);
      frag.appendChild(tr);
    }
    body.appendChild(frag);
    const more = $(moreId);
    const left = rows.length - limit;
    more.hidden = left <= 0;
    more.textContent = left > 0 ? "Show " + Math.min(left, LIST_PAGE) + " more (" + left + " not shown)" : "";
    more.onclick = onMore;
  }

  let tablesKey = null;
  function drawTables() {
    const rows = state.listInView ? filteredDated.filter(inView) : filteredDated;
    // Panning within a quiet stretch leaves the lists as they are: rebuild only when they change.
    const key = [filterVersion, rows.length, rows.length ? rows[0].id + rows[rows.length - 1].id : "",
      state.listLimit, state.undatedLimit, state.selected ? state.selected.id : "", state.listInView].join("/");
    if (key === tablesKey) return;
    tablesKey = key;
    $("events-heading").textContent = state.listInView
      ? "Events in the range shown (" + rows.length + ")"
      : "Dated events (" + rows.length + ")";
    fillTable("events-table", "events-more", rows, state.listLimit, () => { state.listLimit += LIST_PAGE; drawTables(); });
    $("undated-heading").textContent = "Undated and loosely dated events (" + filteredUndated.length + ")";
    fillTable("undated-table", "undated-more", filteredUndated, state.undatedLimit, () => { state.undatedLimit += LIST_PAGE; drawTables(); });
  }

  function drawDocuments() {
    const body = $("documents-table").tBodies[0];
    const docs = Object.entries(data.docs);
    $("documents-heading").textContent = "Articles (" + docs.length + ")";
    for (const [docId, doc] of docs) {
      const tr = el("tr");
      tr.appendChild(el("td", { class: "docs" }, docId));
      tr.appendChild(el("td", null, doc.title || doc.path || ""));
      tr.appendChild(el("td", { class: "date" }, doc.published ? doc.published + " (" + doc.published_source + ")"
        : doc.published_earliest ? "on or after " + doc.published_earliest + " (bounded)" : "unknown"));
      tr.appendChild(el("td", null, doc.status + (doc.reason ? ": " + doc.reason : "")));
      tr.appendChild(el("td", null, String(doc.events)));
      body.appendChild(tr);
    }
  }

  // ---- details panel -------------------------------------------------------------------------------
  function highlighted(sentence, phrases) {
    // Marks the first occurrence of each phrase (timex, trigger) in the sentence, as text nodes.
    const span = el("span");
    const hits = [];
    for (const [phrase, cls] of phrases) {
      if (!phrase) continue;
      const at = sentence.indexOf(phrase);
      if (at >= 0 && !hits.some((h) => at < h[1] && at + phrase.length > h[0])) hits.push([at, at + phrase.length, cls]);
    }
    hits.sort((p, q) => p[0] - q[0]);
    let pos = 0;
    for (const [a, b, cls] of hits) {
      span.append(sentence.slice(pos, a));
      span.appendChild(el("mark", { class: cls }, sentence.slice(a, b)));
      pos = b;
    }
    span.append(sentence.slice(pos));
    return span;
  }

  function drawDetails() {
    const panel = $("details");
    clear(panel);
    const e = state.selected;
    if (!e) {
      panel.appendChild(el("p", { class: "muted" }, "Click an event on the chart or in a list to see its summary, actors, modality, confidence and the sentences that state it."));
      return;
    }
    fillDetails(panel, e);
  }

  function fillDetails(panel, e) {
    panel.appendChild(el("h3", null, e.headline));
    const dl = el("dl");
    const row = (name, value) => {
      dl.appendChild(el("dt", null, name));
      const dd = el("dd");
      if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
      dl.appendChild(dd);
    };
    const when = el("span", null, e.label);
    if (e.s !== null && e.s !== e.e) when.append(" (" + dayText(e.s) + " \u2013 " + dayText(e.e) + ")");
    row("Date", when);
    row("Precision", (e.gran || "unknown") + (e.value ? ", " + e.value : "") + (e.dmod ? " " + e.dmod : "") + " \u00b7 " + (e.basis || "none"));
    const type = el("span");
    const dot = el("span", { class: "type-dot" });
    dot.style.background = colourOf.get(e.type);
    type.append(dot, typeName(e.type), " (" + e.trigger + ")");
    row("Type", type);
    const modality = el("span");
    modality.append(badge(e.modality, e.modality), " " + MODALITY_HELP[e.modality]);
    row("Modality", modality);
    const conf = el("span", null, Math.round(e.conf * 100) + "%");
    const bar = el("span", { class: "confbar" });
    const fill = el("i");
    fill.style.width = Math.round(e.conf * 100) + "%";
    bar.appendChild(fill);
    conf.appendChild(bar);
    row("Confidence", conf);
    const actors = el("span");
    e.actors.forEach((a, i) => {
      if (i) actors.append(", ");
      const link = el("span", { class: "linkish", title: "Show only events with this actor" }, a);
      link.addEventListener("click", () => { $("actor-filter").value = a; onFilterInput(); });
      actors.appendChild(link);
    });
    row("Actors", e.actors.length ? actors : "\u2014");
    row("Places", e.locations.length ? e.locations.join(", ") : "\u2014");
    panel.appendChild(dl);
    if (e.conflicts.length) {
      const box = el("div", { class: "conflicts" });
      box.appendChild(el("b", null, "Sources disagree on the date"));
      for (const c of e.conflicts) box.appendChild(el("div", null, c.label + " according to " + c.docs.join(", ")));
      panel.appendChild(box);
    }
    panel.appendChild(el("b", null, plural(e.src.length, "source")));
    for (const [sentenceRef, timexText, timexValue] of e.src) {
      const [docId, sentenceIndex, sentence] = data.sentences[sentenceRef];
      const doc = data.docs[docId] || {};
      const box = el("div", { class: "source" });
      const head = el("div", { class: "doc" });
      head.appendChild(el("b", null, docId));
      head.append(" \u00b7 sentence " + (sentenceIndex + 1));
      if (doc.published) head.append(" \u00b7 published " + doc.published);
      if (doc.title) head.append(" \u00b7 " + truncate(doc.title, 90));
      if (timexText) head.append(" \u00b7 \u201c" + timexText + "\u201d \u2192 " + (timexValue || "?"));
      box.appendChild(head);
      box.appendChild(highlighted(sentence, [[timexText, "timex"], [e.trigger, "trigger"]]));
      panel.appendChild(box);
    }
  }

  function select(e, opts) {
    state.selected = e;
    if (e && opts && opts.reveal) reveal(e);
    try {
      history.replaceState(null, "", e ? "#" + encodeURIComponent(e.id) : location.pathname + location.search);
    } catch (err) { /* file:// pages may refuse; the selection still works */ }
    drawDetails();
    schedule();
  }

  // ---- tooltip -------------------------------------------------------------------------------------
  function showTooltip(evt, lines) {
    clear(tooltip);
    lines.forEach(([text, cls]) => tooltip.appendChild(el("div", { class: cls || "" }, text)));
    tooltip.hidden = false;
    const pad = 14;
    let left = evt.clientX + pad;
    let top = evt.clientY + pad;
    const box = tooltip.getBoundingClientRect();
    if (left + box.width > window.innerWidth - 4) left = evt.clientX - box.width - pad;
    if (top + box.height > window.innerHeight - 4) top = evt.clientY - box.height - pad;
    tooltip.style.left = Math.max(left, 4) + "px";
    tooltip.style.top = Math.max(top, 4) + "px";
  }
  function eventTooltip(evt, e) {
    const lines = [[e.headline, "tt-title"], [e.label, ""],
      [typeName(e.type) + " \u00b7 " + e.modality + " \u00b7 confidence " + Math.round(e.conf * 100) + "%", "tt-meta"]];
    if (e.actors.length) lines.push(["Actors: " + e.actors.join(", "), "tt-meta"]);
    lines.push([plural(e.src.length, "source") + ": " + e.docs.join(", "), "tt-meta"]);
    if (e.conflicts.length) lines.push(["Dates disagree: " + e.conflicts.map((c) => c.label + " per " + c.docs.join(", ")).join("; "), "tt-meta"]);
    showTooltip(evt, lines);
  }
  function hideTooltip() { tooltip.hidden = true; }

  // ---- interaction -----------------------------------------------------------------------------------
  function markAt(target) {
    const id = target && target.dataset ? target.dataset.id : undefined;
    return id ? byId.get(id) : undefined;
  }
  for (const node of [axisSvg, chartSvg]) {
    node.addEventListener("wheel", (evt) => {
      evt.preventDefault();
      const g = geometry();
      const rect = node.getBoundingClientRect();
      const px = evt.clientX - rect.left;
      zoom(Math.exp(evt.deltaY * 0.0015), px >= GUTTER ? g.day(px) : undefined);
    }, { passive: false });
    let drag = null;
    node.addEventListener("pointerdown", (evt) => {
      if (evt.button !== 0) return;
      drag = { x: evt.clientX, view: state.view.slice(), target: evt.target, moved: false };
      node.setPointerCapture(evt.pointerId);
    });
    node.addEventListener("pointermove", (evt) => {
      if (drag) {
        const dx = evt.clientX - drag.x;
        if (Math.abs(dx) > 3) drag.moved = true;
        if (drag.moved) {
          node.classList.add("dragging");
          hideTooltip();
          const g = geometry();
          const shift = (dx / g.plotW) * (drag.view[1] - drag.view[0]);
          setView(drag.view[0] - shift, drag.view[1] - shift);
        }
        return;
      }
      const e = markAt(evt.target);
      if (e) { eventTooltip(evt, e); return; }
      const bin = evt.target.dataset && evt.target.dataset.count ? evt.target.dataset : undefined;
      if (bin) {
        const from = Math.floor(Number(bin.from));
        const to = Math.max(from, Math.ceil(Number(bin.to)) - 1);
        showTooltip(evt, [[plural(Number(bin.count), typeName(bin.type) + " event"), "tt-title"],
          [from === to ? dayText(from) : dayText(from) + " \u2013 " + dayText(to), ""], ["click to zoom in", "tt-meta"]]);
        return;
      }
      const docId = evt.target.dataset ? evt.target.dataset.doc : undefined;
      if (docId) {
        const doc = data.docs[docId];
        showTooltip(evt, [[docId, "tt-title"], [doc.title || doc.path || "", ""], ["published " + doc.published + " (" + doc.published_source + ")", "tt-meta"]]);
        return;
      }
      hideTooltip();
    });
    node.addEventListener("pointerup", (evt) => {
      if (!drag) return;
      node.releasePointerCapture(evt.pointerId);
      node.classList.remove("dragging");
      if (!drag.moved) {
        const e = markAt(drag.target);
        const bin = drag.target.dataset && drag.target.dataset.count ? drag.target.dataset : undefined;
        if (e) select(e);
        else if (bin) zoom(0.2, (Number(bin.from) + Number(bin.to)) / 2);
        else if (drag.target === node || drag.target.classList.contains("lane-bg")) select(null);
      }
      drag = null;
    });
    node.addEventListener("pointerleave", () => { if (!drag) hideTooltip(); });
    node.addEventListener("dblclick", (evt) => {
      const rect = node.getBoundingClientRect();
      const px = evt.clientX - rect.left;
      if (px >= GUTTER) zoom(0.5, geometry().day(px));
    });
  }

  let brush = null;
  function overviewDay(evt) {
    const rect = overviewSvg.getBoundingClientRect();
    const plotW = rect.width - GUTTER - RIGHT;
    const a = Number(overviewSvg.dataset.a);
    const b = Number(overviewSvg.dataset.b);
    return a + ((evt.clientX - rect.left - GUTTER) / plotW) * (b - a);
  }
  overviewSvg.addEventListener("pointerdown", (evt) => {
    const at = overviewDay(evt);
    const inside = at >= state.view[0] && at <= state.view[1];
    brush = { from: at, x: evt.clientX, view: state.view.slice(), pan: inside, moved: false };
    overviewSvg.setPointerCapture(evt.pointerId);
  });
  overviewSvg.addEventListener("pointermove", (evt) => {
    if (!brush) return;
    if (Math.abs(evt.clientX - brush.x) > 3) brush.moved = true;
    if (!brush.moved) return;
    const at = overviewDay(evt);
    if (brush.pan) {
      const shift = at - brush.from;
      setView(brush.view[0] + shift, brush.view[1] + shift);
    } else {
      setView(Math.min(brush.from, at), Math.max(brush.from, at));
    }
  });
  overviewSvg.addEventListener("pointerup", (evt) => {
    if (!brush) return;
    overviewSvg.releasePointerCapture(evt.pointerId);
    if (!brush.moved) {
      const span = state.view[1] - state.view[0];
      setView(brush.from - span / 2, brush.from + span / 2);
    }
    brush = null;
  });

  $("zoom-in").addEventListener("click", () => zoom(0.5));
  $("zoom-out").addEventListener("click", () => zoom(2));
  $("fit-all").addEventListener("click", () => setView(...padded(extent[0], extent[1])));
  $("list-in-view").addEventListener("change", (evt) => { state.listInView = evt.target.checked; state.listLimit = LIST_PAGE; schedule(); });
  $("conflicts-only").addEventListener("change", (evt) => { state.conflictsOnly = evt.target.checked; refilter(); schedule(); });
  {
    const keyCount = events.filter((e) => e.key).length;
    $("key-only").checked = state.keyOnly;
    if (keyCount === 0) $("key-only-label").style.display = "none";
    $("key-only-text").textContent = "key events only (" + keyCount + " of " + events.length + ")";
    $("key-only").addEventListener("change", (evt) => { state.keyOnly = evt.target.checked; refilter(); schedule(); });
  }
  function onFilterInput() {
    state.actor = $("actor-filter").value.trim().toLowerCase();
    state.text = $("text-filter").value.trim().toLowerCase();
    refilter();
    schedule();
  }
  $("actor-filter").addEventListener("input", onFilterInput);
  $("text-filter").addEventListener("input", onFilterInput);
  for (const tableId of ["events-table", "undated-table"]) {
    $(tableId).tBodies[0].addEventListener("click", (evt) => {
      const tr = evt.target.closest("tr[data-id]");
      if (tr) select(byId.get(tr.dataset.id), { reveal: true });
    });
  }
  document.addEventListener("keydown", (evt) => {
    if (evt.target.closest && evt.target.closest("input, textarea, select")) return;
    if (evt.key === "Escape") select(null);
    // Left/right arrows read the timeline in order, one dated event at a time.
    if ((evt.key === "ArrowRight" || evt.key === "ArrowLeft") && filteredDated.length) {
      const at = state.selected ? filteredDated.indexOf(state.selected) : -1;
      let next = evt.key === "ArrowRight" ? at + 1 : at - 1;
      if (at < 0) next = evt.key === "ArrowRight" ? 0 : filteredDated.length - 1;
      if (next >= 0 && next < filteredDated.length) {
        evt.preventDefault();
        select(filteredDated[next], { reveal: true });
      }
    }
  });
  window.addEventListener("resize", schedule);

  // ---- filters --------------------------------------------------------------------------------------
  function chip(label, count, on, onToggle, swatch, extraClass) {
    const c = el("span", { class: "chip" + (extraClass ? " " + extraClass : ""), role: "button", tabindex: "0", "aria-pressed": String(on) });
    if (swatch) {
      const s = el("span", { class: "swatch" });
      s.style.background = swatch;
      c.appendChild(s);
    }
    c.append(label + " ");
    c.appendChild(el("span", { class: "count" }, String(count)));
    const toggle = () => {
      const now = onToggle();
      c.classList.toggle("off", !now);
      c.setAttribute("aria-pressed", String(now));
    };
    c.addEventListener("click", toggle);
    c.addEventListener("keydown", (evt) => { if (evt.key === "Enter" || evt.key === " ") { evt.preventDefault(); toggle(); } });
    return c;
  }
  function buildFilters() {
    const typeBox = $("type-filters");
    for (const t of data.types) {
      const c = chip(typeName(t.name), t.count, true, () => {
        if (state.types.has(t.name)) state.types.delete(t.name); else state.types.add(t.name);
        refilter();
        schedule();
        return state.types.has(t.name);
      }, t.colour);
      c.dataset.type = t.name;
      typeBox.appendChild(c);
    }
    const setAll = (on) => {
      state.types = new Set(on ? data.types.map((t) => t.name) : []);
      for (const c of typeBox.children) c.classList.toggle("off", !on);
      refilter();
      schedule();
    };
    $("types-all").addEventListener("click", () => setAll(true));
    $("types-none").addEventListener("click", () => setAll(false));
    const modalityBox = $("modality-filters");
    for (const m of MODALITIES) {
      const n = events.filter((e) => e.modality === m).length;
      if (!n) continue;
      const c = chip(m, n, true, () => {
        if (state.modalities.has(m)) state.modalities.delete(m); else state.modalities.add(m);
        refilter();
        schedule();
        return state.modalities.has(m);
      });
      c.title = MODALITY_HELP[m];
      modalityBox.appendChild(c);
    }
    const actorCounts = new Map();
    for (const e of events) for (const a of e.actors) actorCounts.set(a, (actorCounts.get(a) || 0) + 1);
    const actors = Array.from(actorCounts).sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1)).slice(0, 500);
    const list = $("actor-list");
    for (const [name, n] of actors) list.appendChild(el("option", { value: name, label: name + " (" + n + ")" }));
  }

  function legend() {
    const box = $("legend");
    const sample = "#6b7b8c";
    const item = (draw, text, title) => {
      const s = el("span", { title: title || "" });
      const icon = svg("svg", { width: 26, height: 14, viewBox: "0 0 26 14" });
      draw(icon);
      s.append(icon, text);
      box.appendChild(s);
    };
    item((g) => g.appendChild(svg("circle", { cx: 13, cy: 7, r: 5, fill: sample, stroke: sample })), "day", "An event dated to one day");
    item((g) => g.appendChild(svg("rect", { x: 1, y: 2, width: 24, height: 10, rx: 3, fill: sample, "fill-opacity": 0.8, stroke: sample })), "span", "Dated to a week, month, season or part of one");
    item((g) => {
      const p = svg("pattern", { id: "legend-hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
      p.appendChild(svg("rect", { width: 6, height: 6, fill: "#fff" }));
      p.appendChild(svg("rect", { width: 2.6, height: 6, fill: sample }));
      g.appendChild(p);
      g.appendChild(svg("rect", { x: 1, y: 2, width: 24, height: 10, rx: 3, fill: "url(#legend-hatch)", stroke: sample, "stroke-dasharray": "3 2", "stroke-width": 1.6 }));
    }, "planned", MODALITY_HELP.planned);
    item((g) => g.appendChild(svg("rect", { x: 1, y: 2, width: 24, height: 10, rx: 3, fill: "#fff", stroke: sample, "stroke-dasharray": "1.5 2", "stroke-width": 1.6 })), "possible", MODALITY_HELP.possible + "; also hypothetical (only under a condition)");
    item((g) => {
      g.appendChild(svg("circle", { cx: 13, cy: 7, r: 5, fill: "#fff", stroke: "#999", "stroke-width": 1.4 }));
      g.appendChild(svg("line", { x1: 8, x2: 18, y1: 7, y2: 7, stroke: "#999", "stroke-width": 1.4 }));
    }, "negated", MODALITY_HELP.negated);
    item((g) => g.appendChild(svg("circle", { cx: 13, cy: 7, r: 5, fill: sample, stroke: sample, opacity: 0.45 })), "tense only",
      "Faded: placed at an article's date only because the article speaks of it in the present tense");
    item((g) => g.appendChild(svg("path", { d: "M9 12 L17 12 L13 4 Z", fill: "#d62728" })), "dates disagree", "Articles give incompatible dates; click the event to see them");
  }

  function summaryLine() {
    const docs = Object.values(data.docs);
    const processed = docs.filter((d) => d.status === "processed").length;
    const conflicts = events.filter((e) => e.conflicts.length).length;
    const parts = [plural(events.length, "event"), dated.length + " dated", undated.length + " undated",
      "from " + plural(processed, "article")];
    if (docs.length > processed) parts.push((docs.length - processed) + " skipped or failed");
    if (conflicts) parts.push(plural(conflicts, "event") + " with conflicting dates");
    if (data.generated_at) parts.push("generated " + data.generated_at);
    $("summary-line").textContent = parts.join(" \u00b7 ");
  }

  function render() {
    measure();
    drawChart();
    drawOverview();
    drawTables();
  }

  // ---- start ------------------------------------------------------------------------------------------
  buildFilters();
  legend();
  summaryLine();
  drawDocuments();
  const wanted = decodeURIComponent(location.hash.slice(1));
  // A link to an event that is not key opens the whole timeline.
  if (wanted && byId.has(wanted) && !byId.get(wanted).key) { state.keyOnly = false; $("key-only").checked = false; }
  refilter();
  if (wanted && byId.has(wanted)) select(byId.get(wanted), { reveal: true });
  render();
  drawDetails();
  document.body.dataset.ready = "true";
})();
