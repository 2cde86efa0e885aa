#!/usr/bin/env node
/**
 * Copies the page layouts recorded by the snapshot tests (test/__snapshots__) into
 * README.md, between the layout markers. Run `npm run layouts` after updating snapshots.
 */
'use strict';

const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const snapDir = path.join(root, 'test', '__snapshots__');
const readme = path.join(root, 'README.md');
const START = '<!-- layouts:start -->';
const END = '<!-- layouts:end -->';

/** Page suites in the order a candidate meets them. */
const ORDER = ['index', 'plans', 'register', 'form', 'records', 'certificates', 'mine', 'feedback', 'training'];

/** @param {string} file */
function readSnapshots(file) {
  /** @type {Record<string, string>} */
  const out = {};
  // A .snap file is CommonJS assigning template literals to `exports`.
  new Function('exports', fs.readFileSync(file, 'utf8'))(out);
  return out;
}

const sections = [];
for (const name of ORDER) {
  const file = path.join(snapDir, `${name}.test.js.snap`);
  if (!fs.existsSync(file)) continue;
  const snaps = readSnapshots(file);
  for (const key of Object.keys(snaps).sort()) {
    const title = key.replace(/ 1$/, '');
    const body = snaps[key].trim().replace(/^"|"$/g, '');
    sections.push(`#### ${title}\n\n\`\`\`text\n${body}\n\`\`\`\n`);
  }
}

const text = fs.readFileSync(readme, 'utf8');
const a = text.indexOf(START);
const b = text.indexOf(END);
if (a < 0 || b < a) throw new Error('README.md has no layout markers');
const next = `${text.slice(0, a + START.length)}\n\n${sections.join('\n')}\n${text.slice(b)}`;
fs.writeFileSync(readme, next);
console.log(`layouts: ${sections.length} layouts written to README.md`);
