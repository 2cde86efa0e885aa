/**
 * Loads a page or component from src/ into miniprogram-simulate with the tdesign stubs,
 * runs its page lifetimes, and renders it as indented text for snapshots.
 */
const path = require('path');
const simulate = require('miniprogram-simulate');
const { stubIds, INLINE_HOSTS } = require('./stubs');

const SRC = path.resolve(__dirname, '../../src');

/** Lets pending promises, timers and renders settle. */
async function flush(rounds = 6) {
  for (let i = 0; i < rounds; i++) await simulate.sleep(0);
}

/**
 * @param {string} page e.g. 'plans' for src/pages/plans/plans
 * `expose` names modules of src/ (e.g. 'services/privacy') whose instances the
 * page uses, returned as `comp.modules[name]` (the page's modules are isolated).
 * @param {{ query?: Record<string, string>, show?: boolean, expose?: string[] }} [opts]
 */
async function renderPage(page, opts = {}) {
  let id;
  /** @type {Record<string, any>} */
  const modules = {};
  jest.isolateModules(() => {
    id = simulate.load(path.join(SRC, 'pages', page, page), {
      compiler: 'simulate',
      rootPath: SRC,
      usingComponents: stubIds(),
    });
    (opts.expose || []).forEach((m) => {
      modules[m] = require(path.join(SRC, m));
    });
  });
  const comp = simulate.render(id);
  comp.modules = modules;
  comp.attach(document.createElement('parent-wrapper'));
  const inst = comp.instance;
  if (typeof inst.onLoad === 'function') inst.onLoad(opts.query || {});
  if (opts.show !== false && typeof inst.onShow === 'function') inst.onShow();
  await flush();
  return comp;
}

/** @param {Element} el */
function isInline(el) {
  const tag = el.tagName.toLowerCase();
  return tag === 'wx-text' || INLINE_HOSTS.indexOf(tag) >= 0;
}

/** @param {string} s */
function squash(s) {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Text of a block's own line: its text nodes and inline children, in order.
 * @param {Element} el
 */
function ownLine(el) {
  let out = '';
  el.childNodes.forEach((n) => {
    if (n.nodeType === 3) out += n.textContent;
    else if (n.nodeType === 1 && isInline(/** @type {Element} */ (n))) out += ` ${n.textContent} `;
  });
  return squash(out);
}

/**
 * @param {Element} el
 * @param {number} depth
 * @param {string[]} lines
 */
function walk(el, depth, lines) {
  const line = ownLine(el);
  let next = depth;
  if (line) {
    lines.push('  '.repeat(depth) + line);
    next = depth + 1;
  }
  el.childNodes.forEach((n) => {
    if (n.nodeType === 1 && !isInline(/** @type {Element} */ (n))) walk(/** @type {Element} */ (n), next, lines);
  });
}

/**
 * The page as indented lines of text, one per block that has text of its own.
 * @param {any} comp
 * @returns {string}
 */
function text(comp) {
  /** @type {string[]} */
  const lines = [];
  walk(comp.dom, 0, lines);
  return lines.join('\n');
}

/**
 * querySelector that also walks into child components: 'a >>> b'.
 * @param {any} comp
 * @param {string} selector
 */
function find(comp, selector) {
  return selector.split('>>>').reduce((node, part) => (node ? node.querySelector(part.trim()) : null), comp);
}

/**
 * Taps a node: a stub button's own tap (which honours `disabled`), else a DOM tap.
 * @param {any} comp
 * @param {string} selector
 */
async function tap(comp, selector) {
  const node = find(comp, selector);
  if (!node) throw new Error(`no node ${selector}`);
  const inst = node.instance;
  if (inst && typeof inst._tap === 'function') inst._tap();
  else if (inst && typeof inst._click === 'function') inst._click();
  else if (inst && typeof inst._toggle === 'function') inst._toggle();
  else if (inst && typeof inst._select === 'function') inst._select();
  else if (inst && typeof inst._confirm === 'function') inst._confirm();
  else node.dispatchEvent('tap');
  await flush();
}

/**
 * Fires an event with a detail on a node (input change, picker change…).
 * @param {any} comp
 * @param {string} selector
 * @param {string} event
 * @param {object} detail
 */
async function fire(comp, selector, event, detail) {
  const node = find(comp, selector);
  if (!node) throw new Error(`no node ${selector}`);
  node.dispatchEvent(event, { detail });
  await flush();
}

module.exports = { renderPage, text, tap, fire, flush, find };
