#!/usr/bin/env node
/**
 * Fills a build's settings from the environment (npm run configure):
 *
 *   MINIPROGRAM_APPID      the AppID written into project.config.json (wx + 16 hex);
 *                          left as it is when unset (DevTools' tourist AppID)
 *   SKILLCERT_API_DEVELOP  API base for develop (DevTools, preview); default local
 *   SKILLCERT_API_TRIAL    API base for the 体验版 (HTTPS); default the release one
 *   SKILLCERT_API_RELEASE  API base for the released version (HTTPS)
 *
 * and writes them to project.config.json and src/env.js, which src/config.js reads
 * by wx.getAccountInfoSync().miniProgram.envVersion. WeChat only lets a trial or
 * released mini-program call HTTPS domains on its 服务器域名 list, so those two
 * must be https:// URLs without a path.
 */
'use strict';

const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const APPID_RE = /^wx[0-9a-f]{16}$/;

/**
 * @param {string} name the variable, for messages
 * @param {string} value
 * @param {boolean} https whether only https:// is allowed
 * @returns {string} the URL without a trailing slash ('' when empty)
 */
function checkBase(name, value, https) {
  const v = String(value || '').trim().replace(/\/+$/, '');
  if (!v) return '';
  let u;
  try {
    u = new URL(v);
  } catch (e) {
    throw new Error(`${name}: "${v}" is not a URL`);
  }
  if (https && u.protocol !== 'https:') throw new Error(`${name}: "${v}" must be an https:// URL (WeChat calls only HTTPS domains on the 服务器域名 list)`);
  if (!https && u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`${name}: "${v}" must be http:// or https://`);
  if (u.pathname !== '/' || u.search || u.hash) throw new Error(`${name}: "${v}" must be a scheme and host only (the API paths are added by the app)`);
  return v;
}

/**
 * Reads the settings from env and writes them under root.
 * @param {{ env?: Record<string, string | undefined>, root?: string }} [opts]
 * @returns {{ appid: string, apiBase: { develop: string, trial: string, release: string } }}
 */
function configure(opts = {}) {
  const env = opts.env || process.env;
  const root = opts.root || ROOT;
  const apiBase = {
    develop: checkBase('SKILLCERT_API_DEVELOP', env.SKILLCERT_API_DEVELOP, false) || 'http://127.0.0.1:8080',
    trial: checkBase('SKILLCERT_API_TRIAL', env.SKILLCERT_API_TRIAL, true),
    release: checkBase('SKILLCERT_API_RELEASE', env.SKILLCERT_API_RELEASE, true),
  };
  const projectFile = path.join(root, 'project.config.json');
  const project = JSON.parse(fs.readFileSync(projectFile, 'utf8'));
  const appid = String(env.MINIPROGRAM_APPID || '').trim();
  if (appid) {
    if (!APPID_RE.test(appid)) throw new Error(`MINIPROGRAM_APPID: "${appid}" is not an AppID (wx followed by 16 hex digits)`);
    project.appid = appid;
    fs.writeFileSync(projectFile, `${JSON.stringify(project, null, 2)}\n`);
  }
  const envFile = path.join(root, 'src', 'env.js');
  const text = fs.readFileSync(envFile, 'utf8');
  const start = text.indexOf('module.exports');
  if (start < 0) throw new Error(`${envFile} has no module.exports`);
  // URLs checked above: scheme and host only, so no quote can be inside.
  const body = `module.exports = {\n  apiBase: {\n    develop: '${apiBase.develop}',\n    trial: '${apiBase.trial}',\n    release: '${apiBase.release}',\n  },\n};\n`;
  fs.writeFileSync(envFile, text.slice(0, start) + body);
  return { appid: project.appid, apiBase };
}

/**
 * What a release needs: a real AppID and an HTTPS release API.
 * @param {{ appid: string, apiBase: { release: string } }} settings
 * @returns {string[]} the problems, empty when ready
 */
function releaseProblems(settings) {
  const out = [];
  if (!APPID_RE.test(settings.appid)) out.push(`project.config.json appid "${settings.appid}" is not a real AppID: set MINIPROGRAM_APPID`);
  if (!/^https:\/\//.test(settings.apiBase.release || '')) out.push('no HTTPS release API: set SKILLCERT_API_RELEASE');
  return out;
}

/**
 * The settings in effect, read back from the files.
 * @param {string} [root]
 */
function current(root = ROOT) {
  const project = JSON.parse(fs.readFileSync(path.join(root, 'project.config.json'), 'utf8'));
  const envFile = path.join(root, 'src', 'env.js');
  delete require.cache[require.resolve(envFile)];
  return { appid: project.appid, apiBase: require(envFile).apiBase };
}

if (require.main === module) {
  try {
    const s = configure();
    console.log(`appid ${s.appid}; API develop ${s.apiBase.develop}, trial ${s.apiBase.trial || '(release)'}, release ${s.apiBase.release || '(not set)'}`);
  } catch (e) {
    console.error(`configure: ${/** @type {Error} */ (e).message}`);
    process.exit(1);
  }
}

module.exports = { configure, releaseProblems, current, checkBase, APPID_RE };
