/**
 * Large text (适老化): finds what would clip a page's text when the font grows. jsdom
 * lays nothing out, so the check is on the styles that decide clipping, resolved for
 * every node that shows text in a page rendered with the real tdesign components
 * (test/helpers/tdesign.js): the WXSS of the app, the page and each component
 * (tdesign's included), matched by class the way miniprogram-simulate prefixes them,
 * with CSS variables resolved against the app's `page { --td-…: … }` overrides.
 *
 * A node's text is clipped at a base font `scale` times the normal one when the node
 * or an ancestor
 *   - keeps it on one line (white-space: nowrap, inherited) — a longer line runs off,
 *     unless it is inside a scroll-view, which scrolls sideways (tdesign's tabs);
 *   - cuts it (text-overflow: ellipsis, -webkit-line-clamp);
 *   - has a fixed height or max-height smaller than one line of the scaled text
 *     (line-height, else 1.5 × font-size, times scale).
 */
const fs = require('fs');
const path = require('path');

const SRC = path.resolve(__dirname, '../../src');
const DIST = path.resolve(__dirname, '../../node_modules/tdesign-miniprogram/miniprogram_dist');
const NPM = 'tdesign-miniprogram/';

/** @typedef {{ selectors: string[], decls: Record<string, { value: string, important: boolean }>, order: number }} Rule */

let order = 0;

/**
 * The rules of a WXSS text (comments, @import and at-rule blocks left out).
 * @param {string} text @returns {Rule[]}
 */
function parse(text) {
  const css = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/@import[^;]*;/g, '');
  /** @type {Rule[]} */
  const rules = [];
  let i = 0;
  while (i < css.length) {
    const open = css.indexOf('{', i);
    if (open < 0) break;
    const head = css.slice(i, open).trim();
    // Find the matching close (at-rules nest).
    let depth = 1;
    let j = open + 1;
    while (j < css.length && depth > 0) {
      if (css[j] === '{') depth++;
      else if (css[j] === '}') depth--;
      j++;
    }
    const body = css.slice(open + 1, j - 1);
    if (!head.startsWith('@')) {
      /** @type {Rule['decls']} */
      const decls = {};
      body.split(';').forEach((d) => {
        const k = d.indexOf(':');
        if (k < 0) return;
        const prop = d.slice(0, k).trim().toLowerCase();
        let value = d.slice(k + 1).trim();
        const important = /!important$/.test(value);
        value = value.replace(/\s*!important$/, '');
        decls[prop] = { value, important };
      });
      rules.push({ selectors: head.split(',').map((s) => s.trim()), decls, order: order++ });
    }
    i = j;
  }
  return rules;
}

/** @param {string} file @returns {Rule[]} */
function parseFile(file) {
  return fs.existsSync(file) ? parse(fs.readFileSync(file, 'utf8')) : [];
}

/**
 * A component path of usingComponents as a file path without extension.
 * @param {string} from the json's folder @param {string} p
 */
function resolveComponent(from, p) {
  if (p.startsWith(NPM)) return path.join(DIST, p.slice(NPM.length));
  if (p.startsWith('/')) return path.join(SRC, p);
  return path.resolve(from, p);
}

/**
 * The rules of each component of a page (by the tag simulate prefixes its classes
 * with), its own under 'main', and the app's.
 * @param {string} page e.g. 'form'
 * @param {boolean} [plain] without the app's large-text block (tdesign as shipped)
 */
function styles(page, plain) {
  /** @type {Record<string, Rule[]>} */
  const byPrefix = {};
  const seen = new Set();
  /** @param {string} base file without extension @param {string} prefix */
  const visit = (base, prefix) => {
    if (!byPrefix[prefix]) byPrefix[prefix] = [];
    byPrefix[prefix] = byPrefix[prefix].concat(parseFile(`${base}.wxss`));
    if (seen.has(base)) return;
    seen.add(base);
    const json = `${base}.json`;
    if (!fs.existsSync(json)) return;
    const using = JSON.parse(fs.readFileSync(json, 'utf8')).usingComponents || {};
    Object.keys(using).forEach((tag) => visit(resolveComponent(path.dirname(base), using[tag]), tag));
  };
  let appText = fs.readFileSync(path.join(SRC, 'app.wxss'), 'utf8');
  if (plain) appText = appText.replace(/\/\* large-text:start[\s\S]*?large-text:end \*\//, '');
  const app = parse(appText);
  visit(path.join(SRC, 'pages', page, page), 'main');
  /** @type {Record<string, string>} */
  const vars = {};
  app.filter((r) => r.selectors.includes('page')).forEach((r) => {
    Object.keys(r.decls).forEach((k) => {
      if (k.startsWith('--')) vars[k] = r.decls[k].value;
    });
  });
  return { app, byPrefix, vars };
}

/** @param {string} value @param {Record<string, string>} vars @returns {string} */
function resolveVars(value, vars) {
  let v = value;
  for (let n = 0; n < 10 && v.includes('var('); n++) {
    v = v.replace(/var\(\s*(--[\w-]+)\s*(?:,((?:[^()]|\([^()]*\))*))?\)/, (_, name, fb) => (name in vars ? vars[name] : (fb || '').trim()));
  }
  return v;
}

/**
 * Whether a selector's last compound matches a node's classes (pseudo-classes
 * ignored, so a rule that may apply counts; pseudo-elements never hold the text).
 * @param {string} sel @param {Set<string>} classes
 */
function matches(sel, classes) {
  if (sel.includes('::') || /:(?:before|after)\b/.test(sel)) return false;
  const parts = sel.split(/[\s>+~]+/).filter(Boolean);
  const last = (parts[parts.length - 1] || '').replace(/:not\([^)]*\)/g, '').replace(/:[\w-]+(\([^)]*\))?/g, '');
  if (!last || /[#[*]/.test(last)) return false;
  const cls = last.match(/\.[\w-]+/g);
  if (!cls) return false;
  return cls.every((c) => classes.has(c.slice(1)));
}

/**
 * A node's classes without simulate's prefix ("t-button--t-button--size-small" →
 * prefix t-button, class t-button--size-small).
 * @param {Element} el
 */
function classesOf(el) {
  const raw = String(el.getAttribute('class') || '').split(/\s+/).filter(Boolean);
  /** @type {Set<string>} */
  const classes = new Set();
  let prefix = '';
  raw.forEach((c) => {
    const k = c.indexOf('--');
    if (k > 0) {
      prefix = c.slice(0, k);
      classes.add(c.slice(k + 2));
    } else classes.add(c);
  });
  return { prefix, classes };
}

/**
 * A length in rpx (the page is 750 rpx wide on a 320 px phone in the tests); an em
 * length grows with the font, so it is taken at the scaled font size.
 * @param {string} v @param {number} [fontSize] rpx, unscaled @param {number} [scale]
 * @returns {number | null}
 */
function rpx(v, fontSize = 28, scale = 1) {
  const m = String(v).trim().match(/^(-?[\d.]+)(rpx|px|em)?$/);
  if (!m) return null;
  const n = Number(m[1]);
  if (m[2] === 'px') return (n * 750) / 320;
  if (m[2] === 'em') return n * fontSize * scale;
  return n;
}

/**
 * Every node of a rendered page that shows text and would clip it at `scale` times
 * the base font, with why.
 * @param {any} comp the page (renderReal) @param {string} page its name @param {number} scale
 * @param {{ plain?: boolean }} [opts] plain: without the app's large-text overrides
 * @returns {{ text: string, why: string }[]}
 */
function clipped(comp, page, scale, opts = {}) {
  const st = styles(page, opts.plain);
  /** @param {Element} el @returns {Record<string, string>} */
  const computed = (el) => {
    const { prefix, classes } = classesOf(el);
    const own = st.byPrefix[prefix] || [];
    /** @type {Record<string, { value: string, important: boolean, order: number }>} */
    const out = {};
    // Component rules first, then the app's global classes over them (addGlobalClass).
    own.concat(st.app).forEach((r) => {
      if (!r.selectors.some((s) => matches(s, classes))) return;
      Object.keys(r.decls).forEach((p) => {
        const d = r.decls[p];
        const cur = out[p];
        if (!cur || d.important || !cur.important) out[p] = { value: d.value, important: d.important, order: r.order };
      });
    });
    /** @type {Record<string, string>} */
    const res = {};
    Object.keys(out).forEach((p) => {
      res[p] = resolveVars(out[p].value, st.vars);
    });
    // The font shorthand's size / line-height ("600 28rpx / 44rpx family").
    const font = res.font && res.font.match(/([\d.]+(?:rpx|px))\s*\/\s*([\d.]+(?:rpx|px)?)/);
    if (font) {
      if (!res['font-size']) res['font-size'] = font[1];
      if (!res['line-height']) res['line-height'] = font[2];
    }
    return res;
  };

  /** @type {{ text: string, why: string }[]} */
  const found = [];
  /**
   * @param {Element} el
   * @param {{ nowrap: boolean, cut: string, fixed: number | null, fontSize: number, scrolls: boolean }} ctx inherited and ancestor state
   */
  const walk = (el, ctx) => {
    const s = computed(el);
    const fontSize = rpx(s['font-size'] || '') || ctx.fontSize;
    const ws = s['white-space'];
    const nowrap = ws ? ws === 'nowrap' || ws === 'pre' : ctx.nowrap;
    const scrolls = ctx.scrolls || el.tagName.toLowerCase() === 'wx-scroll-view';
    let cut = ctx.cut;
    if (s['text-overflow'] === 'ellipsis') cut = 'text-overflow: ellipsis';
    if (s['-webkit-line-clamp'] && s['-webkit-line-clamp'] !== 'none') cut = '-webkit-line-clamp';
    let fixed = ctx.fixed;
    ['height', 'max-height'].forEach((p) => {
      const h = s[p] !== undefined ? rpx(s[p], fontSize, scale) : null;
      if (h !== null && (fixed === null || h < fixed)) fixed = h;
    });
    const own = Array.from(el.childNodes)
      .filter((n) => n.nodeType === 3)
      .map((n) => n.textContent || '')
      .join('')
      .trim();
    if (own) {
      const lh = s['line-height'];
      const line = (lh && rpx(lh) !== null && /rpx|px/.test(lh) ? /** @type {number} */ (rpx(lh)) : fontSize * (lh && !Number.isNaN(Number(lh)) ? Number(lh) : 1.5)) * scale;
      /** @type {string[]} */
      const why = [];
      if (nowrap && !scrolls) why.push('white-space: nowrap');
      if (cut) why.push(cut);
      if (fixed !== null && fixed < line) why.push(`fixed height ${fixed.toFixed(0)}rpx < one line ${line.toFixed(0)}rpx`);
      if (why.length) found.push({ text: own, why: why.join(', ') });
    }
    Array.from(el.childNodes).forEach((n) => {
      if (n.nodeType === 1) walk(/** @type {Element} */ (n), { nowrap, cut, fixed, fontSize, scrolls });
    });
  };
  walk(comp.dom, { nowrap: false, cut: '', fixed: null, fontSize: 28, scrolls: false });
  return found;
}

module.exports = { clipped, parse, matches, resolveVars };
