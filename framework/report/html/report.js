// ordeal's report page: reads the run's data from the JSON block the ordeal
// binary embedded, fills in the panels and draws three charts with Chart.js
// (timeline, latency, throughput), fault windows shaded by its annotation
// plugin. When every chart is drawn it sets the body's data-rendered to ok,
// which the browser test waits for; an error sets it to error instead.
'use strict';

(function () {
  const COLORS = {ok: '#2e8b57', fail: '#c8392f', info: '#d99a1e'};
  const OUTCOME_WORDS = {ok: 'ok (accepted)', fail: 'fail (rejected)', info: 'info (unknown)'};
  const VIOLATION_COLOR = '#4b1d78';
  const FAULT_FILL = 'rgba(88, 103, 200, 0.13)';
  const FAULT_EDGE = 'rgba(88, 103, 200, 0.55)';
  const THROUGHPUT_BUCKETS = 60;
  // Every chart's y axis takes the same width, so one time is at one x in all three.
  const Y_AXIS_WIDTH_PX = 170;

  const data = JSON.parse(document.getElementById('ordeal-data').textContent);
  const endS = Math.max(data.end_us / 1e6, 0.001);

  function element(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (className) e.className = className;
    return e;
  }

  function seconds(us) {
    return (us / 1e6).toFixed(3) + ' s';
  }

  function clientLabel(client) {
    return client < 0 ? 'exchange' : 'client ' + client;
  }

  function fillHeader() {
    document.title = 'ordeal report: ' + data.title;
    document.getElementById('title').textContent = data.title;
    const status = document.getElementById('status');
    status.textContent = data.status;
    status.classList.add(data.status);
    const n = data.violations.length;
    document.getElementById('headline').textContent =
      data.status === 'error' ? 'No verdict: ' + data.error + '.' :
      n === 0 ? 'Every property held.' :
      n + ' violation' + (n > 1 ? 's' : '') + ': ' +
      Array.from(new Set(data.violations.map(v => v.property))).join(', ');
  }

  function fillRun() {
    const table = document.getElementById('summary');
    for (const [label, value] of data.summary) {
      const row = table.insertRow();
      row.appendChild(element('th', label));
      row.appendChild(element('td', value));
    }
    document.getElementById('reproduce').textContent =
      data.reproduce || 'No command: this page was made from a history file.';
  }

  function describeEvent(e) {
    const parts = [seconds(e.time_us), '#' + e.index, e.type];
    if (e.client !== undefined) parts.push(clientLabel(e.client));
    if (e.f) parts.push(e.f);
    if (e.order) parts.push(e.order);
    // A final read that got no answer about its order: its status says nothing.
    const unanswered = e.type === 'read' && e.answered === false;
    if (unanswered) parts.push('no answer about the order');
    if (e.status && !unanswered) parts.push('status ' + e.status);
    if (e.qty !== undefined && e.type !== 'invoke' && !unanswered) parts.push('qty ' + e.qty_text);
    if (e.filled) parts.push('filled ' + e.filled_text);
    if (e.reason) parts.push('(' + e.reason + ')');
    if (e.fault) parts.push(e.fault);
    return parts.join(' · ');
  }

  function fillViolations() {
    const list = document.getElementById('violation-list');
    if (data.violations.length === 0) {
      list.appendChild(element('p', 'None: every property held.', 'note'));
      return;
    }
    data.violations.forEach((v, i) => {
      const box = element('div', undefined, 'violation');
      const title = element('h3');
      title.appendChild(element('span', String(i + 1), 'number'));
      title.appendChild(element('span', v.property, 'property'));
      box.appendChild(title);
      box.appendChild(element('p', v.message));
      if (v.orders.length) {
        const orders = element('p', 'orders: ', 'orders');
        for (const order of v.orders) orders.appendChild(element('code', order));
        box.appendChild(orders);
      }
      const events = element('ul');
      for (const e of v.events) events.appendChild(element('li', describeEvent(e)));
      if (v.events_total > v.events.length) {
        events.appendChild(element('li', '... and ' + (v.events_total - v.events.length) + ' more'));
      }
      box.appendChild(events);
      list.appendChild(box);
    });
  }

  function fillSteps() {
    const note = document.getElementById('steps-note');
    if (data.steps.length === 0) {
      note.textContent = data.status === 'fail' ?
        'No shrunk case: this page was made from a history file.' :
        data.status === 'error' ?
        'The run ended without a verdict; the charts show what its last case recorded.' :
        'Nothing failed, so there is nothing to shrink; the charts show the last case run.';
      return;
    }
    note.textContent = data.steps_note;
    const list = document.getElementById('steps');
    for (const step of data.steps) list.appendChild(element('li', step));
  }

  function faultEndUs(w) {
    return w.end_us === null ? data.end_us : w.end_us;
  }

  // Fault windows as shaded boxes behind the data; the timeline names them in rows.
  function faultAnnotations() {
    const boxes = {};
    data.faults.forEach((w, i) => {
      boxes['fault' + i] = {
        type: 'box',
        xMin: w.start_us / 1e6,
        xMax: Math.max(faultEndUs(w), w.start_us + 1000) / 1e6,
        backgroundColor: FAULT_FILL,
        borderColor: FAULT_EDGE,
        borderWidth: 1,
        drawTime: 'beforeDatasetsDraw',
      };
    });
    return boxes;
  }

  function timeAxis() {
    // A little room past the last event, so marks at the end are not cut.
    return {type: 'linear', min: 0, max: endS * 1.02, title: {display: true, text: 'time (s)'}};
  }

  function valueAxis(axis) {
    axis.afterFit = scale => { scale.width = Y_AXIS_WIDTH_PX; };
    return axis;
  }

  function baseOptions() {
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        annotation: {annotations: faultAnnotations()},
        legend: {labels: {sort: (a, b) => a.datasetIndex - b.datasetIndex}},
      },
    };
  }

  function faultLabel(w) {
    return 'fault ' + w.name;
  }

  function operationBar(op) {
    const end = op.end_us === null ? data.end_us : op.end_us;
    return {x: [op.start_us / 1e6, end / 1e6], y: clientLabel(op.client), op: op};
  }

  // A box a little wider than the operation, so its own colour stays visible inside.
  function violationBox(op) {
    const bar = operationBar(op);
    const pad = endS * 0.006;
    bar.x = [bar.x[0] - pad, bar.x[1] + pad];
    return bar;
  }

  function tooltipLines(raw) {
    if (raw.fault) {
      const w = raw.fault;
      return [faultLabel(w) + (w.param ? ' (param ' + w.param + ')' : ''),
        seconds(w.start_us) + ' to ' + (w.end_us === null ? 'the end' : seconds(w.end_us))];
    }
    if (raw.mark) {
      return raw.mark.type + ' ' + raw.mark.order + ' at ' + seconds(raw.mark.time_us) +
        ' (violation ' + raw.mark.violations.map(v => v + 1).join(', ') + ')';
    }
    const op = raw.op;
    const lines = [op.f + ' ' + op.order + ': ' + OUTCOME_WORDS[op.outcome] +
      (op.reason ? ' (' + op.reason + ')' : '')];
    lines.push(seconds(op.start_us) + ' to ' +
      (op.end_us === null ? 'the end, no answer' : seconds(op.end_us)));
    for (const v of op.violations) {
      lines.push('in violation ' + (v + 1) + ': ' + data.violations[v].property);
    }
    return lines;
  }

  function timelineDatasets() {
    const bar = {type: 'bar', grouped: false, minBarLength: 4, barPercentage: 0.6};
    const datasets = [{
      ...bar,
      label: 'fault window',
      data: data.faults.map(w => ({
        x: [w.start_us / 1e6, faultEndUs(w) / 1e6], y: faultLabel(w), fault: w})),
      backgroundColor: FAULT_EDGE,
    }];
    for (const outcome of ['ok', 'fail', 'info']) {
      datasets.push({
        ...bar,
        label: OUTCOME_WORDS[outcome],
        data: data.operations.filter(op => op.outcome === outcome).map(operationBar),
        backgroundColor: COLORS[outcome],
      });
    }
    datasets.push({
      ...bar,
      label: 'operation in a violation',
      data: data.operations.filter(op => op.violations.length > 0).map(violationBox),
      backgroundColor: 'rgba(75, 29, 120, 0.12)',
      borderColor: VIOLATION_COLOR,
      borderWidth: 3,
      borderSkipped: false,
      barPercentage: 1,
    });
    datasets.push({
      type: 'scatter',
      label: 'event in a violation (fill, read, ...)',
      data: data.marks.map(m => ({x: m.time_us / 1e6, y: clientLabel(m.client), mark: m})),
      backgroundColor: VIOLATION_COLOR,
      borderColor: '#ffffff',
      pointStyle: 'triangle',
      pointRadius: 8,
    });
    return datasets;
  }

  function timelineRows() {
    const rows = Array.from(new Set(data.faults.map(faultLabel)));
    rows.push(...data.clients.map(clientLabel));
    if (data.marks.some(m => m.client < 0)) rows.push(clientLabel(-1));
    return rows;
  }

  function drawTimeline() {
    const rows = timelineRows();
    document.getElementById('timeline-box').style.height =
      Math.max(220, 40 * rows.length + 110) + 'px';
    const shown = data.operations.length;
    const faults = data.faults.length;
    const which = data.steps.length ? 'The failing case: ' :
      data.reproduce ? 'The last case run: ' : 'The history: ';
    document.getElementById('timeline-note').textContent = which +
      data.operations_total + ' operations of ' + data.clients.length + ' clients, ' +
      faults + ' fault window' + (faults === 1 ? '' : 's') +
      '. Each bar is an operation from its request to its answer (at least a few pixels wide); ' +
      'the fault rows at the top and the shading show when faults were active.' +
      (shown < data.operations_total ?
        ' Showing the first ' + shown + ' of ' + data.operations_total + ' operations.' : '');
    const options = baseOptions();
    options.indexAxis = 'y';
    options.scales = {x: timeAxis(), y: valueAxis({type: 'category', labels: rows, offset: true})};
    options.plugins.tooltip = {callbacks: {label: item => tooltipLines(item.raw)}};
    return new Chart(document.getElementById('timeline'),
      {type: 'bar', data: {datasets: timelineDatasets()}, options: options});
  }

  function drawLatency() {
    const datasets = ['ok', 'fail', 'info'].map(outcome => ({
      label: OUTCOME_WORDS[outcome],
      data: data.operations.filter(op => op.outcome === outcome && op.end_us !== null)
        .map(op => ({x: op.start_us / 1e6, y: (op.end_us - op.start_us) / 1000, op: op})),
      backgroundColor: COLORS[outcome],
      pointRadius: 3,
    }));
    const latencies = datasets.flatMap(d => d.data.map(p => p.y));
    const positive = latencies.filter(y => y > 0);
    // A log scale when answers span orders of magnitude (fast acks, slow timeouts).
    const logarithmic = positive.length === latencies.length && positive.length > 0 &&
      Math.max(...positive) / Math.min(...positive) > 100;
    const options = baseOptions();
    options.scales = {
      x: timeAxis(),
      y: valueAxis({
        type: logarithmic ? 'logarithmic' : 'linear',
        title: {display: true, text: 'latency (ms)'},
      }),
    };
    options.plugins.tooltip = {callbacks: {label: item =>
      item.raw.op.f + ' ' + item.raw.op.order + ': ' + item.raw.y.toFixed(3) + ' ms'}};
    return new Chart(document.getElementById('latency'),
      {type: 'scatter', data: {datasets: datasets}, options: options});
  }

  // A round bucket width near endS / THROUGHPUT_BUCKETS: 1, 2 or 5 times a power of ten.
  function bucketSeconds() {
    const raw = endS / THROUGHPUT_BUCKETS;
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const step of [1, 2, 5]) {
      if (step * power >= raw) return step * power;
    }
    return 10 * power;
  }

  function drawThroughput() {
    const width = bucketSeconds();
    const count = Math.ceil(endS / width) + 1;
    document.getElementById('throughput-note').textContent =
      'Answers per second by outcome, counted in buckets of ' + (width * 1000).toPrecision(3) +
      ' ms; shaded: fault windows.';
    const datasets = ['ok', 'fail', 'info'].map(outcome => {
      const buckets = new Array(count).fill(0);
      for (const op of data.operations) {
        if (op.outcome !== outcome || op.end_us === null) continue;
        buckets[Math.min(count - 1, Math.floor(op.end_us / 1e6 / width))] += 1;
      }
      return {
        label: OUTCOME_WORDS[outcome],
        data: buckets.map((n, i) => ({x: i * width, y: n / width})),
        borderColor: COLORS[outcome],
        backgroundColor: COLORS[outcome],
        stepped: 'before',
        pointRadius: 0,
        borderWidth: 2,
      };
    });
    const options = baseOptions();
    options.scales = {x: timeAxis(), y: valueAxis({beginAtZero: true, title: {display: true, text: 'answers/s'}})};
    options.interaction = {mode: 'index', intersect: false};
    return new Chart(document.getElementById('throughput'),
      {type: 'line', data: {datasets: datasets}, options: options});
  }

  try {
    fillHeader();
    fillRun();
    fillViolations();
    fillSteps();
    const charts = [drawTimeline(), drawLatency(), drawThroughput()];
    // animation is off, so construction drew them; each must have a drawing area.
    if (charts.some(c => !c.chartArea || c.chartArea.width <= 0)) {
      throw new Error('a chart has no drawing area');
    }
    if (document.body.dataset.rendered === 'no') document.body.dataset.rendered = 'ok';
  } catch (error) {
    window.ordealRecordError('error: ' + (error && error.stack ? error.stack : error));
  }
})();
