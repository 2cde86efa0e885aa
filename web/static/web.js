// skillcert candidate web pages: small enhancements. Every form works without
// this script; it adds live counters and checks, the basis rules (filling and
// locking fields), upload progress, confirmations and the QR sign-in's wait.
(function () {
  'use strict';
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };

  // Counters: <input data-counter="id" maxlength="N"> updates #id to "n/N".
  $$('[data-counter]').forEach(function (el) {
    var out = document.getElementById(el.getAttribute('data-counter'));
    var max = el.getAttribute('maxlength');
    var upd = function () {
      if (el.classList.contains('code-input')) { el.value = el.value.toUpperCase(); }
      var n = Array.from(el.value).length;
      out.textContent = n + '/' + max;
      out.classList.toggle('full', String(n) === max);
    };
    el.addEventListener('input', upd);
    upd();
  });

  // Live checks of a few formats (the server checks again with the same words).
  var checks = {
    mobile: function (v) { return v === '' || /^1\d{10}$/.test(v.replace(/\s|-/g, '')) ? '' : '手机号码格式不正确，应为11位数字'; },
    idnumber: function (v) { return v === '' || v.trim().length >= 5 ? '' : '证件号码格式不正确'; }
  };
  $$('[data-check]').forEach(function (el) {
    var fn = checks[el.getAttribute('data-check')];
    if (!fn) { return; }
    el.addEventListener('blur', function () {
      var msg = fn(el.value);
      var cell = el.closest('.weui-cell');
      var next = cell && cell.nextElementSibling;
      var live = next && next.classList.contains('field-err') && next.hasAttribute('data-live') ? next : null;
      if (msg && !live && cell) {
        live = document.createElement('div');
        live.className = 'field-err';
        live.setAttribute('data-live', '');
        live.setAttribute('role', 'alert');
        cell.parentNode.insertBefore(live, cell.nextSibling);
      }
      if (live) { live.textContent = msg; live.hidden = !msg; }
      el.setAttribute('aria-invalid', msg ? 'true' : 'false');
    });
  });

  // 报考依据: the chosen basis fills and locks its fields (domain.BasisRules).
  var lockable = ['years_in_occupation', 'candidate_source', 'labor_relation', 'employer'];
  var applyBasis = function () {
    var chosen = $('input[name="basis"]:checked');
    var fixed = {};
    if (chosen) { try { fixed = JSON.parse(chosen.getAttribute('data-fixed') || '{}'); } catch (e) { fixed = {}; } }
    lockable.forEach(function (name) {
      var el = document.getElementById(name);
      if (!el) { return; }
      if (Object.prototype.hasOwnProperty.call(fixed, name)) {
        el.value = fixed[name];
        el.disabled = true;
      } else if (chosen) {
        el.disabled = false;
      }
      if (el.getAttribute('data-counter')) { el.dispatchEvent(new Event('input')); }
    });
  };
  $$('input[name="basis"]').forEach(function (r) { r.addEventListener('change', applyBasis); });

  // 知道了 closes the employer warning; it never blocks the submit.
  $$('[data-dismiss]').forEach(function (b) {
    b.addEventListener('click', function () {
      var box = document.getElementById(b.getAttribute('data-dismiss'));
      if (box) { box.hidden = true; }
    });
  });

  // Confirmations (撤销报名, 删除).
  $$('form[data-confirm]').forEach(function (f) {
    f.addEventListener('submit', function (e) {
      if (!window.confirm(f.getAttribute('data-confirm'))) { e.preventDefault(); }
    });
  });

  // Upload with a progress bar; the server answers JSON to this request.
  var up = $('#upload');
  if (up && window.XMLHttpRequest && window.FormData) {
    up.addEventListener('submit', function (e) {
      var file = $('#file', up);
      if (!file.files.length) { return; } // the server says what is missing
      e.preventDefault();
      var bar = document.getElementById(up.getAttribute('data-progress'));
      var inner = $('.weui-progress__inner-bar', bar);
      var pct = $('.pct', bar);
      bar.hidden = false;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', up.action);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.addEventListener('progress', function (ev) {
        if (!ev.lengthComputable) { return; }
        var p = Math.round(ev.loaded * 100 / ev.total);
        inner.style.width = p + '%';
        pct.textContent = p + '%';
      });
      xhr.addEventListener('load', function () {
        if (xhr.status === 201) {
          var target = window.location.pathname + '?ok=uploaded';
          if (window.location.pathname + window.location.search === target) { window.location.reload(); } else { window.location.href = target + '#attachments'; }
          return;
        }
        var msg = '上传失败，请稍后再试';
        try { msg = JSON.parse(xhr.responseText).error.message || msg; } catch (err) { /* keep */ }
        pct.textContent = msg;
        bar.classList.add('failed');
      });
      xhr.addEventListener('error', function () { pct.textContent = '网络异常，上传失败'; });
      xhr.send(new FormData(up));
    });
  }

  // 报名人数较多: a busy submit is submitted again by itself after the
  // server's Retry-After, doubled on each further try (exponential backoff)
  // with up to a second of jitter, so a crowd does not come back at once.
  var busy = $('#busy-retry');
  if (busy) {
    var form = busy.closest('form');
    var attempt = parseInt(busy.getAttribute('data-attempt'), 10) || 1;
    var after = parseInt(busy.getAttribute('data-retry-after'), 10) || 1;
    var due = Date.now() + Math.min(after * Math.pow(2, attempt - 1), 30) * 1000 + Math.floor(Math.random() * 1000);
    var timer;
    var tick = function () {
      var left = Math.ceil((due - Date.now()) / 1000);
      if (left > 0) {
        busy.firstChild.nodeValue = left + ' 秒后自动重新提交… ';
        timer = setTimeout(tick, 250);
        return;
      }
      busy.firstChild.nodeValue = '正在重新提交… ';
      var action = document.createElement('input');
      action.type = 'hidden';
      action.name = 'action';
      action.value = 'submit';
      form.appendChild(action);
      form.submit();
    };
    tick();
    var stop = $('[data-stop-retry]', busy);
    stop.addEventListener('click', function () {
      clearTimeout(timer);
      busy.textContent = '已停止自动重试，请稍后点击“提交”。';
    });
  }

  // QR sign-in: wait for the scan, then go on.
  var qr = $('#qr');
  if (qr && window.fetch) {
    var state = $('#qr-state');
    var poll = function () {
      fetch(qr.getAttribute('data-status'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (s.state === 'done') {
            state.textContent = '扫码成功，正在登录…';
            var next = qr.getAttribute('data-next') || '/web/';
            window.location.href = next + (next.indexOf('?') < 0 ? '?' : '&') + 'ok=signedin';
            return;
          }
          if (s.state === 'expired') {
            state.textContent = '二维码已过期，正在刷新…';
            window.location.reload();
            return;
          }
          setTimeout(poll, 2000);
        })
        .catch(function () { setTimeout(poll, 4000); });
    };
    setTimeout(poll, 1500);
  }

  // 返回公众号继续: inside WeChat, close the page and show the chat again
  // (WeixinJSBridge); elsewhere the link's page says what to do.
  $$('[data-close-wechat]').forEach(function (el) {
    el.addEventListener('click', function (e) {
      if (window.WeixinJSBridge && window.WeixinJSBridge.call) {
        e.preventDefault();
        window.WeixinJSBridge.call('closeWindow');
      }
    });
  });
}());
