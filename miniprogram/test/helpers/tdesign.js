/**
 * Loads a page with the real tdesign-miniprogram components instead of the text stubs
 * (test/helpers/stubs.js), so a property or event name that tdesign does not have makes
 * the test fail: the component does not show the value, or never fires the event the
 * page listens to.
 *
 * How: WeChat DevTools resolves "tdesign-miniprogram/button/button" in a page's
 * usingComponents through miniprogram_npm; miniprogram-simulate only knows relative and
 * root-absolute paths, so its JSON reader is taught that one npm lookup, pointing at the
 * package's miniprogram_dist in node_modules (the same files `npm run build:npm` copies).
 * tdesign's JavaScript is ES modules with tslib helpers; jest.config.js transforms it to
 * CommonJS with babel.
 */
const fs = require('fs');
const path = require('path');
const simulate = require('miniprogram-simulate');
// The JSON reader miniprogram-simulate's load() calls for every component.
const simUtils = require('miniprogram-simulate/src/utils');
const exparser = require('miniprogram-exparser');
const { flush } = require('./render');

const SRC = path.resolve(__dirname, '../../src');
const DIST = path.resolve(__dirname, '../../node_modules/tdesign-miniprogram/miniprogram_dist');
const NPM = 'tdesign-miniprogram/';

/**
 * WXS built-ins the module code may call, and WXS's `x.constructor`, which is the
 * type's name ('Array', 'Object', 'String'…) rather than a function.
 */
const WXS_PRELUDE = 'var getRegExp = function (p, f) { return new RegExp(p, f); };' +
  'var __wxsType = function (x) { if (x === null || x === undefined) return undefined;' +
  " if (Array.isArray(x)) return 'Array'; if (x instanceof RegExp) return 'RegExp'; if (x instanceof Date) return 'Date';" +
  " var t = typeof x; return t === 'object' ? 'Object' : t.charAt(0).toUpperCase() + t.slice(1); };" +
  'var getDate = function () { return new (Function.prototype.bind.apply(Date, [null].concat(Array.prototype.slice.call(arguments))))(); };';

/**
 * A WXS file as one expression-free script: its require()s of other WXS files inlined.
 * @param {string} file @returns {string}
 */
function wxsSource(file) {
  const code = fs.readFileSync(file, 'utf8').replace(/([\w$.]+)\.constructor\b/g, '__wxsType($1)');
  return code.replace(/require\(\s*['"]([^'"]+\.wxs)['"]\s*\)/g, (_, rel) =>
    `(function () { var module = { exports: {} }; ${wxsSource(path.resolve(path.dirname(file), rel))}\n; return module.exports; })()`);
}

/**
 * miniprogram-simulate runs inline <wxs> only: tdesign's <wxs src=…> become inline.
 * @param {string} wxml @param {string} dir the template's folder
 */
function inlineWxs(wxml, dir) {
  // Nor <import src=…>: the imported <template name=…> definitions are inlined.
  wxml = wxml.replace(/<import\s+src="([^"]+)"\s*\/>/g, (_, src) => {
    const file = path.resolve(dir, src);
    return inlineWxs(fs.readFileSync(file, 'utf8'), path.dirname(file));
  });
  return wxml.replace(/<wxs\s+src="([^"]+)"\s+module="([^"]+)"\s*\/>/g, (_, src, mod) =>
    `<wxs module="${mod}">${WXS_PRELUDE}${wxsSource(path.resolve(dir, src))}</wxs>`);
}

if (!simUtils.__tdesign) {
  const readJson = simUtils.readJson;
  simUtils.readJson = (/** @type {string} */ file) => {
    const json = readJson(file);
    const using = json && json.usingComponents;
    if (using) {
      Object.keys(using).forEach((tag) => {
        const v = using[tag];
        // Root-absolute (joined to rootPath = src/) so that every component, wherever
        // it lives, reaches the same file.
        if (typeof v === 'string' && v.startsWith(NPM)) using[tag] = `/${path.relative(SRC, path.join(DIST, v.slice(NPM.length)))}`;
      });
    }
    return json;
  };
  // WeChat's template compiler takes ES object shorthand in expressions
  // and spread (badge.wxml: `isShowBadge({dot,count,showZero})`, tabs.wxml:
  // `getBadgeAriaLabel({ ...item.badgeProps })`); miniprogram-simulate's parser does
  // not, so tdesign's templates get them spelled out.
  const readFile = simUtils.readFile;
  simUtils.readFile = (/** @type {string} */ file) => {
    const text = readFile(file);
    if (typeof text !== 'string' || !file.startsWith(DIST) || !file.endsWith('.wxml')) return text;
    return inlineWxs(text, path.dirname(file)).replace(/\(\{\s*(\w+(?:\s*,\s*\w+)+)\s*\}\)/g, (_, names) =>
      `({${names.split(',').map((n) => `${n.trim()}:${n.trim()}`).join(',')}})`,
    )
      .replace(/\(\{\s*\.\.\.([\w.]+)\s*\}\)/g, '($1)') // f({ ...o }) reads what f(o) reads
      .replace(/data="\{\{\s*\.\.\./g, 'data="{{ _first: 0, ...'); // nor a template's data opening with a spread
  };
  simUtils.__tdesign = true;
}

/**
 * @param {string} page e.g. 'register' for src/pages/register/register, or an absolute path
 * @param {{ query?: Record<string, string>, show?: boolean }} [opts]
 */
async function renderReal(page, opts = {}) {
  let id;
  const file = path.isAbsolute(page) ? page : path.join(SRC, 'pages', page, page);
  jest.isolateModules(() => {
    id = simulate.load(file, { compiler: 'simulate', rootPath: SRC });
  });
  const comp = simulate.render(id);
  // tdesign asks for the current page (page scroll, sticky parts).
  // @ts-ignore
  global.getCurrentPages = () => [comp.instance];
  comp.attach(document.createElement('parent-wrapper'));
  const inst = comp.instance;
  if (typeof inst.onLoad === 'function') inst.onLoad(opts.query || {});
  if (opts.show !== false && typeof inst.onShow === 'function') inst.onShow();
  await flush();
  return comp;
}


/**
 * The real component behind a host selector of the page ('#code').
 * @param {any} comp the page
 * @param {string} selector
 */
function host(comp, selector) {
  const node = comp.querySelector(selector);
  if (!node) throw new Error(`no component ${selector}`);
  return node;
}

/**
 * The first node of a real component's own tree (its shadow root, depth first) whose
 * tag is tag ('input', 'button', 'view'), optionally with a class containing cls.
 * tdesign's components are virtual hosts, so the page's DOM has no node for the host
 * itself: the search goes through exparser, the mini-program's own component tree.
 * @param {any} comp the page @param {string} selector host of the page
 * @param {string} tag @param {string} [cls] @param {number} [nth] which match, from 0
 */
function inside(comp, selector, tag, cls, nth = 0) {
  const root = host(comp, selector)._exparserNode.shadowRoot;
  /** @param {any} n @returns {any} */
  const all = [];
  const walk = (/** @type {any} */ n) => {
    for (const c of n.childNodes || []) {
      const el = c.$$;
      if (c.is === tag && (!cls || (el && String(el.className).includes(cls)))) all.push(c);
      walk(c);
      // Into nested components too (a dialog's buttons are t-buttons of their own).
      if (c.shadowRoot) walk(c.shadowRoot);
    }
  };
  walk(root);
  const node = all[nth];
  if (!node) throw new Error(`${selector} has no ${tag}${cls ? `.${cls}` : ''} #${nth} inside (found ${all.length})`);
  return node;
}

/**
 * Fires a native event on a node of a real component, as the WeChat runtime would.
 * @param {any} node @param {string} name @param {object} detail
 */
async function nativeEvent(node, name, detail) {
  // As in WeChat: tap bubbles and crosses component boundaries; a native input's
  // input event reaches only the component that holds the input.
  const crosses = name === 'tap';
  exparser.Event.dispatchEvent(node, exparser.Event.create(name, detail, { bubbles: crosses, composed: crosses, capturePhase: crosses }));
  await flush();
}

/**
 * Types into a real t-input as the keyboard would: its native input's input event.
 * @param {any} comp @param {string} selector @param {string} value
 */
async function typeInto(comp, selector, value) {
  await nativeEvent(inside(comp, selector, 'input'), 'input', { value, cursor: value.length, keyCode: 0 });
}

/**
 * Taps the native node a real component listens on.
 * @param {any} comp @param {string} selector host of the page
 * @param {string} tag e.g. 'button' for t-button, 'view' for a t-cell's root
 * @param {string} [cls] @param {number} [nth]
 */
async function press(comp, selector, tag, cls, nth) {
  await nativeEvent(inside(comp, selector, tag, cls, nth), 'tap', {});
}

/** The visible text of a real component. @param {any} comp @param {string} selector */
function shown(comp, selector) {
  /** @param {any} n @returns {string} */
  const text = (n) => (n.textContent !== undefined && !n.childNodes ? n.textContent : (n.childNodes || []).map(text).join(''));
  return text(host(comp, selector)._exparserNode.shadowRoot).replace(/\s+/g, ' ').trim();
}

module.exports = { renderReal, host, inside, nativeEvent, typeInto, press, shown };
