/** The app's manifest: every page exists, every tab has its icons. */
const fs = require('fs');
const path = require('path');

const SRC = path.resolve(__dirname, '../src');
const app = JSON.parse(fs.readFileSync(path.join(SRC, 'app.json'), 'utf8'));

describe('app.json', () => {
  test('every page has its four files', () => {
    for (const p of app.pages) {
      for (const ext of ['js', 'json', 'wxml', 'wxss']) {
        expect(fs.existsSync(path.join(SRC, `${p}.${ext}`))).toBe(true);
      }
    }
  });

  test('every tab has an icon and a selected icon: PNG, 81×81, under 40 KB', () => {
    expect(app.tabBar.list.length).toBe(3);
    for (const tab of app.tabBar.list) {
      for (const key of ['iconPath', 'selectedIconPath']) {
        const file = path.join(SRC, tab[key] || 'missing');
        expect(fs.existsSync(file)).toBe(true);
        const buf = fs.readFileSync(file);
        expect(buf.subarray(1, 4).toString('ascii')).toBe('PNG');
        expect(buf.readUInt32BE(16)).toBe(81);
        expect(buf.readUInt32BE(20)).toBe(81);
        expect(buf.length).toBeLessThan(40 * 1024);
      }
    }
  });
});
