#!/usr/bin/env node
/**
 * The manual "build npm" step, without WeChat DevTools: copies each mini-program
 * dependency's `miniprogram_dist` (or, failing that, its `main` folder) from
 * node_modules into src/miniprogram_npm/<name>, which is what DevTools' own build would
 * produce for project.config.json's packNpmManually setting. The output is generated,
 * not committed (see .gitignore).
 */
'use strict';

const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'src', 'miniprogram_npm');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** @param {string} dir */
function distOf(dir) {
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const folder = meta.miniprogram || 'miniprogram_dist';
  const candidate = path.join(dir, folder);
  if (fs.existsSync(candidate)) return candidate;
  throw new Error(`${meta.name} has no ${folder} folder: not a mini-program package`);
}

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });

let files = 0;
for (const name of Object.keys(pkg.dependencies || {})) {
  const src = distOf(path.join(root, 'node_modules', name));
  const dest = path.join(outDir, name);
  fs.cpSync(src, dest, {
    recursive: true,
    // TypeScript declarations are of no use inside the mini-program package.
    filter: (p) => !p.endsWith('.d.ts'),
  });
  const count = (/** @type {string} */ d) =>
    fs.readdirSync(d, { withFileTypes: true }).reduce(
      (n, e) => n + (e.isDirectory() ? count(path.join(d, e.name)) : 1),
      0,
    );
  const n = count(dest);
  files += n;
  console.log(`build-npm: ${name} -> src/miniprogram_npm/${name} (${n} files)`);
}
console.log(`build-npm: done, ${files} files`);
