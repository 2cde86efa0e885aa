/**
 * The request layer against the API contract: every path and method the
 * mini-program calls (collected from its source) is an operation of
 * docs/openapi.yaml, the contract the server's tests enforce.
 */
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const SRC = path.join(__dirname, '..', 'src');
const CONTRACT = path.join(__dirname, '..', '..', 'docs', 'openapi.yaml');

/** Every .js file of the mini-program's own source (not the built npm folder). */
function sources(dir = SRC) {
  /** @type {string[]} */
  let out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'miniprogram_npm') out = out.concat(sources(p));
    } else if (e.name.endsWith('.js')) {
      out.push(p);
    }
  }
  return out;
}

/** A path as the client writes it → the contract's form: ids become {}, no query. */
function normalise(p) {
  return p
    .replace(/^`|`$|^'|'$/g, '')
    .replace(/\$\{V1\}/g, '/api/v1')
    .replace(/\$\{[^}]+\}/g, '{}')
    .replace(/\?.*$/, '');
}

/** The contract's operations as "METHOD /path" with every {param} as {}. */
function contractOperations() {
  const doc = YAML.parse(fs.readFileSync(CONTRACT, 'utf8'));
  const ops = new Set();
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const m of ['get', 'put', 'post', 'delete', 'patch']) {
      if (item[m]) ops.add(`${m.toUpperCase()} ${p.replace(/\{[^}]+\}/g, '{}')}`);
    }
  }
  return ops;
}

// request({ method: 'POST', path: `${V1}/…` }), request({ path: withQuery(`${V1}/…`, q) }),
// transport.send({ method: 'POST', path: '/api/v1/…' }).
const CALL = /\b(?:request|send)\(\{\s*(?:method:\s*'([A-Z]+)',\s*)?path:\s*(?:withQuery\()?(`[^`]*`|'[^']*')/g;
// api.js's path helpers for uploads and downloads: name: `${V1}/…` or name: (id) => `${V1}/…`.
const HELPER = /^\s*(\w+Path):\s*(?:\([^)]*\)\s*=>\s*)?(`[^`]*`)/gm;
// upload({ path: api.x(…) }) is POST (wx.uploadFile); download/openAttachment/openFile(api.x or `${api.x(…)}/${…}`) GET.
const FILE_CALL = /\b(upload|download|openAttachment|openFile)\(\s*(?:\{\s*path:\s*)?(?:`\$\{api\.(\w+)(?:\([^)]*\))?\}([^`]*)`|api\.(\w+))/g;

/** Every [method, path, where] the client code calls. */
function clientCalls() {
  /** @type {{ method: string, path: string, where: string }[]} */
  const calls = [];
  /** @type {Record<string, string>} */
  const helpers = {};
  const files = sources();
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    for (const m of text.matchAll(HELPER)) helpers[m[1]] = normalise(m[2]);
  }
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    const where = path.relative(SRC, f);
    for (const m of text.matchAll(CALL)) calls.push({ method: m[1] || 'GET', path: normalise(m[2]), where });
    for (const m of text.matchAll(FILE_CALL)) {
      const helper = m[2] || m[4];
      if (!helpers[helper]) throw new Error(`${where}: ${m[0]} uses api.${helper}, which is not a path helper`);
      calls.push({
        method: m[1] === 'upload' ? 'POST' : 'GET',
        path: helpers[helper] + normalise(m[3] || ''),
        where,
      });
    }
  }
  return { calls, helpers };
}

describe('the request layer against docs/openapi.yaml', () => {
  const ops = contractOperations();
  const { calls, helpers } = clientCalls();

  test('the scan finds every call of the API module', () => {
    // Each request( in services/api.js must be one the scan understood, so a call
    // written another way cannot slip past the check below.
    const api = fs.readFileSync(path.join(SRC, 'services', 'api.js'), 'utf8');
    const written = (api.match(/\brequest\(\{/g) || []).length;
    expect(calls.filter((c) => c.where === path.join('services', 'api.js'))).toHaveLength(written);
    expect(Object.keys(helpers).sort()).toEqual(['attachmentPath', 'exportPath', 'feedbackImagesPath']);
    expect(calls.length).toBeGreaterThan(35);
    expect(calls).toContainEqual({ method: 'POST', path: '/api/v1/auth/login', where: path.join('services', 'auth.js') });
    expect(calls).toContainEqual({ method: 'POST', path: '/api/v1/registrations/{}/attachments', where: path.join('pages', 'form', 'form.js') });
    expect(calls).toContainEqual({ method: 'GET', path: '/api/v1/registrations/{}/attachments/{}', where: path.join('pages', 'record', 'record.js') });
    expect(calls).toContainEqual({ method: 'GET', path: '/api/v1/me/export', where: path.join('pages', 'mine', 'mine.js') });
  });

  test('every path and method the client calls is in the contract', () => {
    const missing = calls.filter((c) => !ops.has(`${c.method} ${c.path}`)).map((c) => `${c.method} ${c.path} (${c.where})`);
    expect(missing).toEqual([]);
  });

  test('the check would catch a call the contract lacks', () => {
    expect(ops.has('GET /api/v1/registrations/{}')).toBe(true);
    expect(ops.has('PATCH /api/v1/registrations/{}')).toBe(false);
    expect(normalise('`${V1}/plans/${planId}/seat-watch`')).toBe('/api/v1/plans/{}/seat-watch');
    expect(normalise('`${V1}/me/export?format=zip`')).toBe('/api/v1/me/export');
  });
});
