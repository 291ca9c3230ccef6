// The EuroPi emulator dashboard. Everything goes through the JSON API under
// api/: inputs are POSTed to api/inputs, and api/events streams the panel,
// the script's status and the device's requests as they happen.
"use strict";

const $ = (id) => document.getElementById(id);
const NUM_CVS = 6;
const MAX_ROWS = 200;

let version = -1;          // the panel version shown
let displayVersion = -1;   // the OLED frame shown
let lastLogID = 0;         // the newest log entry shown
let selectedID = 0;        // the log entry whose bytes are shown
const held = new Set();    // inputs the user is moving or holding right now

// ---- Drawing the outputs -------------------------------------------------

function buildOutputs() {
  const box = $("outputs");
  for (let i = 1; i <= NUM_CVS; i++) {
    const cv = document.createElement("div");
    cv.className = "cv";
    cv.innerHTML = `<span class="led"></span><span class="jack"></span>` +
      `<div class="bar" role="meter" aria-valuemin="0" aria-valuemax="10"><div class="fill"></div></div>` +
      `<output class="volts">0.000 V</output><span class="silk">CV${i}</span>`;
    cv.id = `cv${i}`;
    cv.querySelector(".volts").id = `cv${i}-volts`;
    box.appendChild(cv);
  }
}

function renderState(st, force) {
  if (!force && st.version < version) return; // an older answer overtaken by events
  version = st.version;
  for (const out of st.outputs) {
    const cv = $(out.name);
    const level = Math.max(0, Math.min(1, out.volts / 10));
    cv.querySelector(".fill").style.height = `${level * 100}%`;
    cv.querySelector(".bar").setAttribute("aria-valuenow", String(out.volts));
    const volts = cv.querySelector(".volts");
    volts.textContent = `${out.volts.toFixed(3)} V`;
    volts.dataset.volts = String(out.volts);
    const led = cv.querySelector(".led");
    led.style.setProperty("--level", level.toFixed(3));
    led.classList.toggle("lit", out.volts > 0);
  }
  const inp = st.inputs;
  showKnob("k1", inp.k1);
  showKnob("k2", inp.k2);
  showButton("b1", inp.b1);
  showButton("b2", inp.b2);
  if (!held.has("din")) $("din").checked = inp.din === 1;
  $("din-value").textContent = inp.din === 1 ? "high" : "low";
  if (!held.has("ain")) $("ain").value = inp.ain;
  $("ain-value").textContent = `${inp.ain.toFixed(2)} V`;
}

function showKnob(name, percent) {
  if (held.has(name)) return;
  $(name).value = percent;
  drawKnob(name, percent);
}

function drawKnob(name, percent) {
  $(`${name}-knob`).style.setProperty("--angle", `${-135 + 2.7 * percent}deg`);
  $(`${name}-value`).textContent = `${Math.round(percent)} %`;
}

function showButton(name, value) {
  if (held.has(name)) return;
  $(name).setAttribute("aria-pressed", value === 1 ? "true" : "false");
}

// ---- Drawing the OLED ------------------------------------------------------

// The colours of a lit and a dark pixel, as RGBA.
const OLED_ON = [0xe6, 0xf4, 0xff, 0xff];
const OLED_OFF = [0x05, 0x06, 0x07, 0xff];

// renderDisplay draws a frame from api/display or the "display" event: each
// row is hex, four pixels a digit, the leftmost in the highest bit.
function renderDisplay(d, force) {
  if (!force && d.version <= displayVersion) return;
  displayVersion = d.version;
  const canvas = $("oled");
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(d.width, d.height);
  for (let y = 0; y < d.height; y++) {
    const row = d.rows[y];
    for (let x = 0; x < d.width; x++) {
      const lit = (parseInt(row[x >> 2], 16) >> (3 - (x & 3))) & 1;
      img.data.set(lit ? OLED_ON : OLED_OFF, (y * d.width + x) * 4);
    }
  }
  ctx.putImageData(img, 0, 0);
}

// ---- Writing inputs --------------------------------------------------------

// One request in flight at a time; values set meanwhile are merged and sent
// next, so a fast slider never queues up stale positions.
let pending = {};
let inflight = false;

function setInput(name, value) {
  pending[name] = value;
  flush();
}

async function flush() {
  if (inflight || Object.keys(pending).length === 0) return;
  const body = pending;
  pending = {};
  inflight = true;
  try {
    const reply = await fetch("api/inputs", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const data = await reply.json();
    if (reply.ok) {
      showProblem("");
      renderState(data);
    } else {
      showProblem(data.error || `HTTP ${reply.status}`);
    }
  } catch (err) {
    showProblem(`Cannot reach the emulator: ${err.message}`);
  } finally {
    inflight = false;
    flush();
  }
}

function showProblem(text) {
  const p = $("problem");
  p.textContent = text;
  p.hidden = text === "";
}

function wireKnob(name) {
  const slider = $(name);
  const knob = $(`${name}-knob`);
  const set = (percent) => {
    percent = Math.max(0, Math.min(100, Math.round(percent)));
    slider.value = percent;
    drawKnob(name, percent);
    setInput(name, percent);
  };
  slider.addEventListener("input", () => set(parseFloat(slider.value)));
  slider.addEventListener("pointerdown", () => held.add(name));
  slider.addEventListener("pointerup", () => held.delete(name));
  // Drag the knob up or down to turn it, as on a touch screen.
  let startY = 0, startValue = 0;
  knob.addEventListener("pointerdown", (e) => {
    knob.setPointerCapture(e.pointerId);
    held.add(name);
    startY = e.clientY;
    startValue = parseFloat(slider.value);
  });
  knob.addEventListener("pointermove", (e) => {
    if (knob.hasPointerCapture(e.pointerId)) set(startValue + (startY - e.clientY) * 0.6);
  });
  knob.addEventListener("lostpointercapture", () => held.delete(name));
  knob.addEventListener("wheel", (e) => {
    e.preventDefault();
    set(parseFloat(slider.value) - Math.sign(e.deltaY) * 2);
  }, { passive: false });
}

// A button is 1 only while it is held down, by pointer or keyboard.
function wireButton(name) {
  const button = $(name);
  const press = (down) => {
    if (down === held.has(name)) return;
    if (down) held.add(name); else held.delete(name);
    button.setAttribute("aria-pressed", down ? "true" : "false");
    setInput(name, down ? 1 : 0);
  };
  button.addEventListener("pointerdown", (e) => {
    e.preventDefault();
    button.setPointerCapture(e.pointerId);
    press(true);
  });
  button.addEventListener("pointerup", () => press(false));
  button.addEventListener("pointercancel", () => press(false));
  button.addEventListener("lostpointercapture", () => press(false));
  button.addEventListener("keydown", (e) => {
    if ((e.key === " " || e.key === "Enter") && !e.repeat) { e.preventDefault(); press(true); }
  });
  button.addEventListener("keyup", (e) => {
    if (e.key === " " || e.key === "Enter") press(false);
  });
  button.addEventListener("blur", () => press(false));
}

function wireInputs() {
  wireKnob("k1");
  wireKnob("k2");
  wireButton("b1");
  wireButton("b2");
  $("din").addEventListener("change", () => {
    $("din-value").textContent = $("din").checked ? "high" : "low";
    setInput("din", $("din").checked ? 1 : 0);
  });
  const ain = $("ain");
  ain.addEventListener("pointerdown", () => held.add("ain"));
  ain.addEventListener("pointerup", () => held.delete("ain"));
  ain.addEventListener("input", () => {
    $("ain-value").textContent = `${parseFloat(ain.value).toFixed(2)} V`;
    setInput("ain", parseFloat(ain.value));
  });
}

// ---- The script's status ---------------------------------------------------

function renderStatus(st) {
  $("script").textContent = st.script + (st.profile ? `  (device profile ${st.profile})` : "");
  const reload = $("reload");
  reload.replaceChildren();
  const line = document.createElement("span");
  let detail = null; // the reload error, below the line
  // A real interpreter runs the script (europi-http run): say what it does.
  reload.previousElementSibling.textContent = st.state ? "Interpreter" : "Reload";
  if (st.state) {
    const running = st.state.startsWith("running");
    line.className = running ? "ok" : st.error ? "bad" : "muted";
    line.textContent = (running ? "▶ " : st.error ? "✗ " : "■ ") + st.state +
      (!st.watch ? "" : st.reloads > 0 ? `; restarted ${st.reloads}× on edits` : "; restarts when you save");
    if (st.error) {
      detail = document.createElement("pre");
      detail.className = "error";
      detail.textContent = st.error;
    }
  } else if (!st.watch) {
    line.className = "muted";
    line.textContent = "not watched (serve --watch reloads it on save)";
  } else if (st.reload_error) {
    line.className = "bad";
    line.textContent = `✗ last reload failed at ${clock(st.last_reload)}; the last good version serves on`;
    detail = document.createElement("pre");
    detail.className = "error";
    detail.textContent = st.reload_error;
  } else {
    line.className = "ok";
    line.textContent = st.reloads > 0
      ? `✓ reloaded ${st.reloads}×, last at ${clock(st.last_reload)}`
      : "✓ loaded; watching for changes";
  }
  reload.append(line);
  if (detail) reload.append(detail);
  // The device link stays whatever the reload did.

  const link = $("device-link");
  if (st.device_url) {
    link.href = st.device_url;
    link.hidden = false;
    const a = document.createElement("a");
    a.href = st.device_url;
    a.target = "_blank";
    a.rel = "noopener";
    a.textContent = st.device_url;
    $("device").replaceChildren(a);
  }
}

function clock(iso) {
  const d = new Date(iso);
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

// ---- The request log -------------------------------------------------------

function resetLog(entries) {
  $("log").replaceChildren();
  lastLogID = 0;
  addLog(entries);
}

function addLog(entries) {
  const body = $("log");
  for (const e of entries) {
    if (e.id <= lastLogID) continue;
    lastLogID = e.id;
    body.prepend(logRow(e));
  }
  while (body.rows.length > MAX_ROWS) body.deleteRow(-1);
  $("log-empty").hidden = body.rows.length > 0;
  $("log-count").textContent = body.rows.length ? `(${body.rows.length})` : "";
}

function logRow(e) {
  const tr = document.createElement("tr");
  tr.dataset.id = e.id;
  const note = [e.rule ? `rule ${e.rule}` : "", e.outcome || ""].filter(Boolean).join(", ");
  const cells = [
    [clock(e.time)], [e.peer], [e.method], [e.path, "path"],
    [e.status ? String(e.status) : "–", `s${String(e.status).charAt(0)}`],
    [String(e.bytes), "num"], [e.duration_ms.toFixed(1), "num"], [note, "note"],
  ];
  for (const [text, cls] of cells) {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
  }
  tr.title = e.error || "";
  if (e.id === selectedID) tr.classList.add("selected");
  tr.addEventListener("click", () => showDetail(e.id));
  return tr;
}

async function showDetail(id) {
  selectedID = id;
  for (const tr of $("log").rows) tr.classList.toggle("selected", Number(tr.dataset.id) === id);
  const reply = await fetch(`api/log/${id}`);
  const d = await reply.json();
  const box = $("detail");
  box.hidden = false;
  if (!reply.ok) {
    $("detail-title").textContent = `Request #${id}`;
    $("detail-notes").textContent = d.error;
    $("detail-request").textContent = "";
    $("detail-response").textContent = "";
    return;
  }
  $("detail-title").textContent =
    `#${d.id} ${d.method} ${d.path} → ${d.status || "no status"} · ${d.bytes} B · ${d.duration_ms.toFixed(1)} ms`;
  const notes = [`from ${d.peer} at ${clock(d.time)}`];
  if (d.outcome) notes.push(d.outcome);
  if (d.rule) notes.push(`device rule ${d.rule}`);
  if (d.error) notes.push(d.error);
  if (d.response_cut) notes.push("response cut short in the log");
  $("detail-notes").textContent = notes.join(" · ");
  $("detail-request").textContent = d.request || "(nothing read)";
  $("detail-response").textContent = d.response || "(nothing sent)";
}

// ---- Live updates ----------------------------------------------------------

function connect() {
  const live = $("live");
  const events = new EventSource("api/events");
  events.addEventListener("hello", (e) => {
    const h = JSON.parse(e.data);
    renderStatus(h.status);
    renderState(h.state, true);
    renderDisplay(h.display, true);
    resetLog(h.log);
    live.textContent = "live";
    live.className = "live on";
  });
  events.addEventListener("state", (e) => renderState(JSON.parse(e.data)));
  events.addEventListener("display", (e) => renderDisplay(JSON.parse(e.data)));
  events.addEventListener("status", (e) => renderStatus(JSON.parse(e.data)));
  events.addEventListener("log", (e) => addLog(JSON.parse(e.data)));
  // EventSource reconnects by itself; say so meanwhile.
  events.addEventListener("error", () => {
    live.textContent = "reconnecting…";
    live.className = "live off";
  });
}

buildOutputs();
wireInputs();
connect();
