/**
 * Environments: the API base follows wx.getAccountInfoSync().miniProgram.envVersion
 * from src/env.js, which scripts/configure.js fills (with the AppID of
 * project.config.json) from the environment; trial and release must be HTTPS.
 * The upload script's description comes from git and refuses a dev sign-in.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { configure, releaseProblems, current } = require('../scripts/configure');
const { describeFromGit, sourceProblems } = require('../scripts/upload');

const ROOT = path.resolve(__dirname, '..');

/** src/config.js as it loads in a mini-program running as version. */
function configAs(version, bases) {
  wx.getAccountInfoSync = jest.fn(() => ({ miniProgram: { appId: 'wx0123456789abcdef', envVersion: version, version: '' } }));
  let config;
  jest.isolateModules(() => {
    jest.doMock('../src/env', () => ({ apiBase: bases }));
    config = jest.requireActual('../src/config');
  });
  return config;
}

/** A copy of the project's two configured files in a temp folder. */
function scratch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillcert-env-'));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.copyFileSync(path.join(ROOT, 'project.config.json'), path.join(dir, 'project.config.json'));
  fs.copyFileSync(path.join(ROOT, 'src', 'env.js'), path.join(dir, 'src', 'env.js'));
  return dir;
}

describe('API base by envVersion', () => {
  const bases = { develop: 'http://127.0.0.1:8080', trial: 'https://trial.example.cn', release: 'https://api.example.cn/' };

  test.each([
    ['develop', 'http://127.0.0.1:8080'],
    ['trial', 'https://trial.example.cn'],
    ['release', 'https://api.example.cn'],
  ])('%s → %s', (version, want) => {
    const config = configAs(version, bases);
    expect(config.envVersion).toBe(version);
    expect(config.apiBase).toBe(want);
  });

  test('a trial without its own server uses the release one; develop defaults to the local server', () => {
    expect(configAs('trial', { develop: '', trial: '', release: 'https://api.example.cn' }).apiBase).toBe('https://api.example.cn');
    expect(configAs('develop', { develop: '', trial: '', release: '' }).apiBase).toBe('http://127.0.0.1:8080');
  });

  test('an unknown or missing envVersion is develop', () => {
    expect(configAs('gray', bases).envVersion).toBe('develop');
    wx.getAccountInfoSync = jest.fn(() => {
      throw new Error('not supported');
    });
    let config;
    jest.isolateModules(() => {
      config = jest.requireActual('../src/config');
    });
    expect(config.envVersion).toBe('develop');
  });

  test('the committed env.js is the local one (a release build fills it)', () => {
    expect(jest.requireActual('../src/env').apiBase).toEqual({ develop: 'http://127.0.0.1:8080', trial: '', release: '' });
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'project.config.json'), 'utf8')).appid).toBe('touristappid');
  });
});

describe('scripts/configure.js', () => {
  test('writes the AppID and the API bases, which config.js then reads', () => {
    const dir = scratch();
    const s = configure({
      root: dir,
      env: { MINIPROGRAM_APPID: 'wx0123456789abcdef', SKILLCERT_API_TRIAL: 'https://trial.example.cn', SKILLCERT_API_RELEASE: 'https://api.example.cn/' },
    });
    expect(s).toEqual({ appid: 'wx0123456789abcdef', apiBase: { develop: 'http://127.0.0.1:8080', trial: 'https://trial.example.cn', release: 'https://api.example.cn' } });
    const back = current(dir);
    expect(back).toEqual(s);
    expect(releaseProblems(back)).toEqual([]);
    // The rest of project.config.json is kept.
    const project = JSON.parse(fs.readFileSync(path.join(dir, 'project.config.json'), 'utf8'));
    expect(project.miniprogramRoot).toBe('src/');
    expect(project.setting.packNpmManually).toBe(true);
  });

  test('without variables it changes nothing (the committed files are its output)', () => {
    const dir = scratch();
    const before = fs.readFileSync(path.join(dir, 'src', 'env.js'), 'utf8') + fs.readFileSync(path.join(dir, 'project.config.json'), 'utf8');
    configure({ root: dir, env: {} });
    const after = fs.readFileSync(path.join(dir, 'src', 'env.js'), 'utf8') + fs.readFileSync(path.join(dir, 'project.config.json'), 'utf8');
    expect(after).toBe(before);
    expect(releaseProblems(current(dir))).toEqual([
      'project.config.json appid "touristappid" is not a real AppID: set MINIPROGRAM_APPID',
      'no HTTPS release API: set SKILLCERT_API_RELEASE',
    ]);
  });

  test.each([
    [{ SKILLCERT_API_RELEASE: 'http://api.example.cn' }, /SKILLCERT_API_RELEASE.*https/],
    [{ SKILLCERT_API_TRIAL: 'http://trial.example.cn' }, /SKILLCERT_API_TRIAL.*https/],
    [{ SKILLCERT_API_RELEASE: 'https://api.example.cn/api/v1' }, /scheme and host only/],
    [{ SKILLCERT_API_DEVELOP: 'ftp://x' }, /http/],
    [{ MINIPROGRAM_APPID: 'touristappid' }, /MINIPROGRAM_APPID/],
    [{ MINIPROGRAM_APPID: 'wx123' }, /16 hex/],
  ])('refuses %j', (env, message) => {
    const dir = scratch();
    expect(() => configure({ root: dir, env })).toThrow(message);
  });
});

describe('scripts/upload.js', () => {
  test('the description is the commit from git', () => {
    const desc = describeFromGit();
    expect(desc).toMatch(/^[0-9a-f]{7,}(\+dirty)? \S/);
    expect(desc.length).toBeLessThanOrEqual(80);
  });

  test('nothing with a development sign-in is uploaded', () => {
    expect(sourceProblems()).toEqual([]);
  });

  test('package.json pins miniprogram-ci and names the scripts', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.devDependencies['miniprogram-ci']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.scripts.upload).toBe('node scripts/upload.js');
    expect(pkg.scripts['upload:dry']).toBe('node scripts/upload.js --dry');
  });
});
