// The ops page's script: a file of its own, so the Content-Security-Policy allows no inline script.
// Every value from the database goes into the page as text (textContent), never as markup.
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function bars(target, rows) {
  const box = document.getElementById(target);
  box.replaceChildren();
  const max = Math.max(1, ...rows.map(r => r.count));
  if (rows.length === 0) box.appendChild(el('p', 'nothing yet', 'muted'));
  for (const r of rows) {
    const row = el('div', null, 'bar-row');
    row.dataset.status = r.status;
    row.appendChild(el('span', r.status, 'bar-label'));
    const bar = el('div', null, 'bar ' + r.status);
    bar.style.width = Math.round(200 * r.count / max) + 'px';
    row.appendChild(bar);
    row.appendChild(el('span', r.count, 'bar-count'));
    box.appendChild(row);
  }
}
function fill(tableId, rows, cells, onRow) {
  const body = document.querySelector('#' + tableId + ' tbody');
  body.replaceChildren();
  for (const r of rows) {
    const tr = document.createElement('tr');
    for (const c of cells(r)) tr.appendChild(c instanceof Node ? wrap(c) : el('td', c));
    if (onRow) onRow(tr, r);
    body.appendChild(tr);
  }
}
// "2026-11-28T21:45:03.123Z" -> "21:45:03 (in 4 min)": when a batch completes, relative to now.
function when(iso) {
  if (!iso) return '';
  const t = new Date(iso);
  const s = Math.round((t - Date.now()) / 1000);
  const rel = Math.abs(s) < 90 ? Math.abs(s) + ' s' : Math.round(Math.abs(s) / 60) + ' min';
  return t.toLocaleTimeString() + (s >= 0 ? ' (in ' + rel + ')' : ' (' + rel + ' ago)');
}
function wrap(node) { const td = document.createElement('td'); td.appendChild(node); return td; }
// The last SMTP reply code and its RFC 3463 enhanced status (5.1.1: bad mailbox; 4.x.x: transient), when there was one.
// A bounce read back later from the bounce mailbox is shown instead: "bounced 5.1.1".
function smtpReply(m) {
  if (m.bounced_at) return 'bounced ' + (m.bounce_status || '');
  return m.smtp_code ? m.smtp_code + (m.smtp_status ? ' ' + m.smtp_status : '') : '';
}

function showMail(m) {
  const view = document.getElementById('mail-view');
  view.classList.remove('preview');
  view.replaceChildren(el('h2', m.email_subject));
  view.appendChild(el('p', 'to ' + m.recipient_email + ' · ' + m.send_status + (m.smtp_status ? ' (' + m.smtp_status + ')' : '')
    + (m.error_message ? ' · ' + m.error_message : ''), 'muted'));
  if (m.email_content_html) {
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', '');       // no scripts, no navigation: the mail is shown, never run
    frame.srcdoc = m.email_content_html;
    view.appendChild(frame);
  }
  if (!m.email_content_html && !m.email_content_text) {
    view.appendChild(el('p', 'Its body was removed by retention (RETENTION_DIGEST_BODIES_DAYS).', 'muted'));
  }
  view.appendChild(el('pre', m.email_content_text || ''));
}
// 123456789 -> "117.7 MiB"
function size(bytes) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = bytes, i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i ? n.toFixed(1) : n) + ' ' + units[i];
}
// The latest retention pass in one sentence: when, where, how it ended.
function retentionText(r, removed) {
  if (!r.pass) return 'Retention has not run yet.';
  return 'Retention pass ' + r.pass + (r.running ? ' running since ' : ' started ') + when(r.started_at) + ' on ' + r.instance
    + (r.finished_at ? ', finished ' + when(r.finished_at) : '')
    + (removed.email_bodies ? '; ' + removed.email_bodies + ' digest bodies dropped' : '')
    + (r.stopped ? '; ' + r.stopped : '') + '; next pass from ' + when(r.next_pass_at) + '.';
}
// Every change is a JSON POST with the page's own credential (the browser's login): the server refuses anything a
// foreign page could forge.
function postJson(path, body) {
  return fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body || {}),
    credentials: 'same-origin' });
}
// The digest an open batch would send now, shown like the recent mails (sandboxed); the preview sends nothing.
async function preview(batchId) {
  const res = await fetch('api/batches/' + batchId + '/preview', { credentials: 'same-origin' });
  if (!res.ok) {
    document.getElementById('mail-view').replaceChildren(el('h2', 'Preview'), el('p', 'Preview of batch ' + batchId + ': HTTP '
      + res.status + ' ' + await res.text(), 'muted'));
    return;
  }
  const p = await res.json();
  showMail({ email_subject: p.subject, recipient_email: p.recipient,
    send_status: 'preview, not sent (' + p.emailFormat + (p.sendMail ? '' : '; notifications are off: no digest would go') + ')',
    email_content_html: p.html, email_content_text: p.text });
  document.getElementById('mail-view').classList.add('preview');
}
// A batch's complete file list (failures first, 500 at a time): where a digest that lists only some sends the reader.
async function batchFiles(offset) {
  const id = document.getElementById('batch-id').value.trim();
  const res = await fetch('api/batches/' + encodeURIComponent(id) + '/files?offset=' + offset, { credentials: 'same-origin' });
  const out = document.getElementById('batch-files-result');
  if (!res.ok) {
    out.textContent = 'Files of batch ' + id + ': HTTP ' + res.status + ' ' + await res.text();
    fill('batch-files', [], () => []);
    return;
  }
  const page = await res.json();
  out.textContent = 'Files ' + (page.offset + 1) + '-' + (page.offset + page.files.length) + ' of batch ' + page.batchId
    + ' (failures first)';
  fill('batch-files', page.files, f => [f.file_name, f.processing_status, f.error_category || '', f.error_message || '',
    f.chunks_created]);
  const more = document.getElementById('batch-files-more');
  more.hidden = page.files.length < page.limit;
  more.dataset.next = page.offset + page.files.length;
}
document.getElementById('batch-files-show').addEventListener('click', () => batchFiles(0));
document.getElementById('batch-files-more').addEventListener('click', e => batchFiles(Number(e.target.dataset.next)));
async function retry(id) {
  const res = await postJson('api/corrections/' + id + '/retry');
  document.getElementById('retry-result').textContent = 'Retry of task ' + id + ': HTTP ' + res.status + ' ' + await res.text();
  load();
}
async function held(action) {
  const res = await postJson('api/corrections/held/' + action);
  document.getElementById('held-result').textContent = action + ': HTTP ' + res.status + ' ' + await res.text();
  load();
}
async function suppression(path, body, what) {
  const res = await postJson(path, body);
  document.getElementById('suppress-result').textContent = what + ': HTTP ' + res.status + ' ' + await res.text();
  load();
}
document.getElementById('suppress-add').addEventListener('click', () => suppression('api/suppressions', {
  company_id: Number(document.getElementById('suppress-company').value),
  bot_id: Number(document.getElementById('suppress-bot').value),
  email: document.getElementById('suppress-email').value,
  reason: document.getElementById('suppress-reason').value,
}, 'Suppress'));
document.getElementById('release-held').addEventListener('click', () => held('release'));
document.getElementById('cancel-held').addEventListener('click', () => held('cancel'));
async function load() {
  const s = await (await fetch('api/ops/summary', { credentials: 'same-origin' })).json();
  bars('batch-status', s.batchStatus);
  bars('email-status', s.emailStatus);
  bars('correction-status', s.correctionStatus);
  // Only digests that were (or are being) sent count: skipped, held, folded and suppressed ones were never meant to go.
  const attempted = ['sent', 'failed', 'pending', 'retrying'];
  const total = s.emailStatus.filter(r => attempted.includes(r.status)).reduce((a, r) => a + r.count, 0);
  const sent = s.emailStatus.filter(r => r.status === 'sent').reduce((a, r) => a + r.count, 0);
  document.getElementById('email-rate').textContent = total ? Math.round(100 * sent / total) + '% sent' : '–';
  fill('open-batches', s.openBatches, b => {
    const p = el('button', 'Preview', 'preview');
    p.addEventListener('click', () => preview(b.batch_id));
    return [b.batch_id, b.user_email, b.total_files + ' / ' + b.threshold, when(b.timeout_at), when(b.max_age_at), p];
  });
  document.getElementById('instance').textContent = 'this page is served by instance ' + s.instance;
  fill('leases', s.leases, l => [l.owner, l.kind, l.held, when(l.expires_at)]);
  const r = s.retention || {};
  const removed = Object.fromEntries((r.removed || []).map(x => [x.table, x.removed]));
  document.getElementById('retention').textContent = retentionText(r, removed);
  fill('tables', s.tables || [], t => [t.table, size(t.bytes), t.rows, removed[t.table] || 0]);
  fill('recent-mails', s.recentMails, m => [m.email_subject, m.recipient_email, el('span', m.send_status, 'status-' + m.send_status),
       smtpReply(m), m.sent_at || ''],
       (tr, m) => { tr.className = 'mail'; tr.addEventListener('click', () => showMail(m)); });
  fill('failed-corrections', s.failedCorrections, t => {
    const b = el('button', 'Retry', 'retry');
    b.dataset.task = t.id;
    b.addEventListener('click', () => retry(t.id));
    return [t.id, t.file_name || t.file_document_id, t.failed_action, t.error_during_correction, t.attempts, b];
  });
  fill('held-digests', s.heldDigests, d => [d.batch_id, d.recipient_email, d.company_id + ' / ' + d.bot_id, d.held_reason,
    d.folded_batches, when(d.due_at)]);
  fill('suppressions', s.suppressions, x => {
    const b = el('button', 'Lift', 'lift');
    b.addEventListener('click', () => suppression('api/suppressions/' + x.id + '/lift', {}, 'Lift of suppression ' + x.id));
    return [x.email, x.company_id + ' / ' + x.bot_id, x.reason, x.created_at, x.created_by, b];
  });
  const h = s.heldCorrections || { count: 0, tasks: [] };
  document.getElementById('held').hidden = h.count === 0 && !document.getElementById('held-result').textContent;
  document.getElementById('held-summary').textContent =
    h.count + ' correction task(s) held: more than ' + h.limitPerHour + ' would delete within an hour (MAX_DELETIONS_PER_HOUR)';
  fill('held-corrections', h.tasks, t => [t.id, t.file_document_id, t.company_id + ' / ' + t.bot_id,
    t.failure_category, t.storage_key, t.held_at]);
  const audit = await fetch('api/audit?limit=20', { credentials: 'same-origin' });
  if (audit.ok) {
    fill('audit', (await audit.json()).entries, a => [a.at, a.credential, a.client_address || '', a.action, a.target || '',
      el('span', a.status + ' ' + (a.result || ''), a.status < 300 ? 'status-sent' : 'status-failed')]);
  }
  document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
}
load();
setInterval(load, 5000);
