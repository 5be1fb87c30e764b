/*
 * Customer Ops web-chat widget. Embed on any page:
 *   <script src="https://<your-workspace>/widget.js" data-inbox="ibx_..." data-title="Chat with us" data-color="#2563eb" async></script>
 * The visitor's identity is a signed token kept in localStorage, so a reload or a later visit
 * continues the same conversation. Messages go out over HTTPS and replies arrive live over the
 * realtime server's /widget namespace; after a reconnect the history is fetched again.
 */
(function () {
  'use strict';
  var script = document.currentScript || document.querySelector('script[data-inbox]');
  if (!script || window.__copWidget) return;
  window.__copWidget = true;
  var inbox = script.getAttribute('data-inbox');
  var base = new URL(script.src, location.href).origin;
  var title = script.getAttribute('data-title') || 'Chat with us';
  var color = script.getAttribute('data-color') || '#2563eb';
  var storeKey = 'cop-widget:' + inbox;
  var state = { token: null, socket: null, open: false, seen: {} };

  var host = document.createElement('div');
  host.setAttribute('data-cop-widget', '');
  var root = host.attachShadow({ mode: 'open' });
  root.innerHTML =
    '<style>' +
    ':host{--brand:' +
    color +
    ';all:initial;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif}' +
    '.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;background:var(--brand);color:#fff;border:0;border-radius:999px;padding:12px 18px;font:600 15px system-ui;box-shadow:0 6px 20px rgba(0,0,0,.2);cursor:pointer}' +
    '.launcher:focus-visible,button:focus-visible,textarea:focus-visible{outline:3px solid #111;outline-offset:2px}' +
    '.panel{position:fixed;right:20px;bottom:80px;z-index:2147483000;width:360px;height:520px;max-height:calc(100vh - 100px);display:none;flex-direction:column;background:#fff;color:#111;border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.25);overflow:hidden}' +
    '.panel.open{display:flex}' +
    'header{background:var(--brand);color:#fff;padding:14px 16px;display:flex;align-items:center;justify-content:space-between;font:600 16px system-ui}' +
    'header button{background:transparent;border:0;color:#fff;font-size:22px;line-height:1;cursor:pointer;padding:4px 8px}' +
    '.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px;background:#f6f7f9}' +
    '.msg{max-width:80%;padding:8px 12px;border-radius:14px;font:14px/1.4 system-ui;white-space:pre-wrap;word-wrap:break-word}' +
    '.in{align-self:flex-start;background:#fff;border:1px solid #e3e5e8}' +
    '.out{align-self:flex-end;background:var(--brand);color:#fff}' +
    '.meta{font-size:11px;opacity:.75;margin-top:2px}' +
    '.note{color:#555;font:14px/1.4 system-ui;text-align:center;margin:auto 8px}' +
    '.error{color:#b42318}' +
    'form{display:flex;gap:8px;padding:10px;border-top:1px solid #e3e5e8;background:#fff}' +
    'textarea{flex:1;resize:none;border:1px solid #c9ccd1;border-radius:10px;padding:8px 10px;font:14px system-ui;min-height:40px;max-height:120px}' +
    'form button{background:var(--brand);color:#fff;border:0;border-radius:10px;padding:0 16px;font:600 14px system-ui;cursor:pointer}' +
    'form button:disabled{opacity:.5;cursor:default}' +
    '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}' +
    '@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;height:100vh;max-height:none;border-radius:0}}' +
    '</style>' +
    '<button class="launcher" type="button" aria-haspopup="dialog" aria-expanded="false"></button>' +
    '<section class="panel" role="dialog" aria-label="">' +
    '<header><span class="title"></span><button type="button" class="close" aria-label="Close chat">&times;</button></header>' +
    '<div class="log" role="log" aria-live="polite"><p class="note">Connecting…</p></div>' +
    '<form><label class="sr" for="cop-input">Your message</label>' +
    '<textarea id="cop-input" rows="1" placeholder="Type your message…" maxlength="4000"></textarea>' +
    '<button type="submit">Send</button></form></section>';
  document.body.appendChild(host);

  var $ = function (sel) {
    return root.querySelector(sel);
  };
  var launcher = $('.launcher'),
    panel = $('.panel'),
    log = $('.log'),
    form = $('form'),
    input = $('textarea'),
    send = $('form button');
  launcher.textContent = title;
  $('.title').textContent = title;
  panel.setAttribute('aria-label', title);

  function toggle(open) {
    state.open = open;
    panel.classList.toggle('open', open);
    launcher.setAttribute('aria-expanded', String(open));
    if (open) input.focus();
    else launcher.focus();
  }
  launcher.addEventListener('click', function () {
    toggle(!state.open);
  });
  $('.close').addEventListener('click', function () {
    toggle(false);
  });
  panel.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') toggle(false);
  });

  function note(text, isError) {
    log.innerHTML = '';
    var p = document.createElement('p');
    p.className = 'note' + (isError ? ' error' : '');
    p.textContent = text;
    log.appendChild(p);
  }

  function render(m) {
    if (m.id && state.seen[m.id]) return state.seen[m.id];
    var empty = log.querySelector('.note');
    if (empty) empty.remove();
    var div = document.createElement('div');
    div.className = 'msg ' + (m.direction === 'in' ? 'out' : 'in'); // the visitor's own messages on the right
    div.textContent = m.text;
    var meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent = new Date(m.at || Date.now()).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    div.appendChild(meta);
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    if (m.id) state.seen[m.id] = div;
    return div;
  }

  function api(path, body) {
    var headers = { 'content-type': 'application/json' };
    if (state.token) headers.authorization = 'Bearer ' + state.token;
    return fetch(base + '/api/webhooks/webchat/' + inbox + path, {
      method: 'POST',
      headers: headers,
      body: JSON.stringify(body),
    }).then(function (r) {
      return r
        .json()
        .catch(function () {
          return {};
        })
        .then(function (j) {
          if (!r.ok) throw new Error(j.error || 'Request failed (' + r.status + ')');
          return j;
        });
    });
  }

  function session() {
    var stored = null;
    try {
      stored = localStorage.getItem(storeKey);
    } catch (e) {
      /* storage blocked: a session-only visitor */
    }
    return api('/session', stored ? { token: stored } : {}).then(function (s) {
      state.token = s.token;
      try {
        localStorage.setItem(storeKey, s.token);
      } catch (e) {
        /* ignore */
      }
      log.innerHTML = '';
      state.seen = {};
      if (!s.messages.length) note(s.greeting || 'Send us a message and we will reply here.');
      s.messages.forEach(render);
      return s;
    });
  }

  function connect(s) {
    var load = window.io
      ? Promise.resolve()
      : new Promise(function (resolve, reject) {
          var tag = document.createElement('script');
          tag.src = base + '/widget/socket.io.js';
          tag.onload = resolve;
          tag.onerror = reject;
          document.head.appendChild(tag);
        });
    return load.then(function () {
      var socket = window.io(s.realtimeUrl + '/widget', { auth: { token: s.token }, transports: ['websocket', 'polling'] });
      state.socket = socket;
      socket.on('message', render);
      // After a disconnect, history is the source of truth: refetch it instead of trusting the gap.
      socket.io.on('reconnect', function () {
        session().catch(function () {
          /* keep what is shown */
        });
      });
    });
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text || !state.token) return;
    input.value = '';
    var id = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random())
      .replace(/[^A-Za-z0-9_-]/g, '')
      .slice(0, 40);
    var bubble = render({ direction: 'in', text: text, at: new Date().toISOString() });
    var meta = bubble.querySelector('.meta');
    meta.textContent = 'Sending…';
    api('', { clientMessageId: id, text: text })
      .then(function () {
        meta.textContent = 'Sent';
      })
      .catch(function (err) {
        meta.textContent = 'Not sent: ' + err.message;
        bubble.classList.add('error');
        input.value = text;
      });
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  session()
    .then(connect)
    .catch(function (err) {
      note('We could not reach the chat right now (' + err.message + '). Please try again later.', true);
      send.disabled = true;
    });
})();
