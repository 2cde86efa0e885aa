#!/usr/bin/env node
/**
 * Uploads a version of the mini-program with Tencent's miniprogram-ci (npm run upload),
 * or checks that one would build (npm run upload:dry).
 *
 *   npm run upload       configure (scripts/configure.js) → build npm (miniprogram-ci's
 *                        packNpmManually) → upload with the version of package.json
 *                        (or MINIPROGRAM_VERSION) and a description from git
 *   npm run upload:dry   the same build, then a local compile and pack into
 *                        dist/skillcert-<version>.zip with the main package size
 *                        checked; nothing is sent to WeChat, no key needed
 *
 * Environment:
 *   MINIPROGRAM_UPLOAD_KEY  path of the upload key file (代码上传密钥, from 微信公众平台 ›
 *                           开发管理 › 开发设置); required by upload, never read by the dry run
 *   MINIPROGRAM_APPID, SKILLCERT_API_*  see scripts/configure.js
 *   MINIPROGRAM_VERSION     version number to upload (default: package.json's)
 *   MINIPROGRAM_ROBOT       which CI robot (1–30) uploads; default 1
 */
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { configure, releaseProblems } = require('./configure');

const ROOT = path.resolve(__dirname, '..');
/** WeChat's limit for the main package (2 MB). */
const MAX_MAIN_PACKAGE = 2 * 1024 * 1024;
/** An AppID for a dry run when the project still has DevTools' tourist AppID. */
const DRY_APPID = 'wx0000000000000000';

/**
 * "<short sha> <subject>" of HEAD (and "+dirty" when the tree has changes), at most
 * 80 characters: the upload's description (备注) in the platform's version list.
 * @param {string} [cwd]
 * @returns {string}
 */
function describeFromGit(cwd = ROOT) {
  const git = (/** @type {string[]} */ args) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  try {
    const sha = git(['rev-parse', '--short', 'HEAD']);
    const subject = git(['log', '-1', '--format=%s']);
    const dirty = git(['status', '--porcelain', '--', '.']) ? '+dirty' : '';
    const desc = `${sha}${dirty} ${subject}`;
    return desc.length > 80 ? `${desc.slice(0, 79)}…` : desc;
  } catch (e) {
    return 'skillcert mini-program (no git information)';
  }
}

/** @returns {string} */
function version() {
  const v = process.env.MINIPROGRAM_VERSION || JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  if (!/^\d+\.\d+\.\d+$/.test(v)) throw new Error(`version "${v}" is not like 1.2.3`);
  return v;
}

/**
 * Things that must never be uploaded: the development sign-in override.
 * @returns {string[]}
 */
function sourceProblems() {
  const out = [];
  const config = fs.readFileSync(path.join(ROOT, 'src', 'config.js'), 'utf8');
  const m = config.match(/devLoginName:\s*'([^']*)'/);
  if (!m || m[1] !== '') out.push("src/config.js devLoginName must be '' in anything uploaded");
  return out;
}

/**
 * A throwaway RSA key for the dry run: miniprogram-ci wants a key to build a
 * project object; the dry run never sends anything with it.
 * @returns {string} the key file's path
 */
function throwawayKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'skillcert-dry-')), 'dry-run.key');
  fs.writeFileSync(file, privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  return file;
}

/**
 * @param {{ dry: boolean }} opts
 */
async function main({ dry }) {
  // Before configure, which rewrites project.config.json and src/env.js: those
  // changes must not mark the commit as dirty.
  const desc = describeFromGit();
  const settings = configure();
  const problems = sourceProblems().concat(dry ? [] : releaseProblems(settings));
  if (problems.length) throw new Error(problems.join('; '));

  const keyPath = dry ? throwawayKey() : process.env.MINIPROGRAM_UPLOAD_KEY;
  if (!keyPath) throw new Error('MINIPROGRAM_UPLOAD_KEY is not set: name the upload key file (or run npm run upload:dry)');
  if (!fs.existsSync(keyPath)) throw new Error(`MINIPROGRAM_UPLOAD_KEY: no file at ${keyPath}`);

  const ci = require('miniprogram-ci');
  console.log('build npm (miniprogram-ci packNpmManually) …');
  const packed = await ci.packNpmManually({
    packageJsonPath: path.join(ROOT, 'package.json'),
    miniprogramNpmDistDir: path.join(ROOT, 'src'),
  });
  console.log(`  ${packed.miniProgramPackNum} mini-program package(s), ${packed.otherNpmPackNum} other`);

  const appid = dry && !/^wx[0-9a-f]{16}$/.test(settings.appid) ? DRY_APPID : settings.appid;
  const project = new ci.Project({
    appid,
    type: 'miniProgram',
    projectPath: ROOT,
    privateKeyPath: keyPath,
    ignores: ['node_modules/**/*', 'test/**/*', 'scripts/**/*', 'dist/**/*', 'coverage/**/*'],
  });
  const v = version();

  if (dry) {
    // The project attributes come from WeChat with a real key; offline, the defaults.
    project.attr = async () => ci.DefaultProjectAttr;
    const out = path.join(ROOT, 'dist', `skillcert-${v}.zip`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    console.log('compile and pack (no upload) …');
    const files = await ci.getCompiledResult({ project, version: v, desc, setting: { useProjectConfig: true } }, out);
    const size = fs.statSync(out).size;
    console.log(`  ${Object.keys(files).length} files, ${(size / 1024).toFixed(0)} KB → ${path.relative(ROOT, out)}`);
    console.log(`  would upload version ${v} of ${settings.appid}: "${desc}"`);
    if (size > MAX_MAIN_PACKAGE) throw new Error(`the package is ${size} bytes, over WeChat's 2 MB main package limit`);
    console.log('upload:dry passed');
    return;
  }

  console.log(`upload version ${v} of ${appid}: "${desc}" …`);
  const res = await ci.upload({
    project,
    version: v,
    desc,
    setting: { useProjectConfig: true },
    robot: Number(process.env.MINIPROGRAM_ROBOT || 1),
    onProgressUpdate: () => {},
  });
  const full = (res.subPackageInfo || []).find((/** @type {any} */ p) => p.name === '__FULL__');
  console.log(`uploaded${full ? `: ${(full.size / 1024).toFixed(0)} KB` : ''}. Submit it for review on the platform (版本管理).`);
}

if (require.main === module) {
  // miniprogram-ci leaves timers and sockets open (offline, its lookups of
  // servicewechat.com keep retrying): exit once the work is done.
  main({ dry: process.argv.includes('--dry') }).then(
    () => process.exit(0),
    (e) => {
      console.error(`upload: ${e && e.message ? e.message : e}`);
      process.exit(1);
    },
  );
}

module.exports = { describeFromGit, version, sourceProblems, MAX_MAIN_PACKAGE };
