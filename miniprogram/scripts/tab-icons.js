/**
 * Draws the tab bar icons (81×81 PNG, grey and selected blue) into src/assets/tab/.
 * Plain shapes from distance functions, 4×4 supersampled; no image library needed.
 * Run: node scripts/tab-icons.js (the PNGs are committed).
 */
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const SIZE = 81;
const SS = 4;
const OUT = path.resolve(__dirname, '../src/assets/tab');

/** @param {number} x @param {number} y @param {number} ax @param {number} ay @param {number} bx @param {number} by */
function segDist(x, y, ax, ay, bx, by) {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - t * dx, py - t * dy);
}

/** Stroke of a polyline. @param {number[][]} pts @param {number} w */
function stroke(pts, w, closed = false) {
  return (/** @type {number} */ x, /** @type {number} */ y) => {
    let d = Infinity;
    const n = closed ? pts.length : pts.length - 1;
    for (let i = 0; i < n; i++) {
      const a = pts[i], b = pts[(i + 1) % pts.length];
      d = Math.min(d, segDist(x, y, a[0], a[1], b[0], b[1]));
    }
    return d <= w / 2;
  };
}

/** @type {Record<string, (x: number, y: number) => boolean>} */
const SHAPES = {
  // 首页: a house.
  home: (x, y) => stroke([[14, 38], [40.5, 14], [67, 38]], 6)(x, y) ||
    stroke([[21, 34], [21, 66], [60, 66], [60, 34]], 6)(x, y) ||
    stroke([[34, 66], [34, 48], [47, 48], [47, 66]], 5)(x, y),
  // 报名记录: a sheet with lines.
  records: (x, y) => stroke([[19, 12], [62, 12], [62, 69], [19, 69]], 6, true)(x, y) ||
    stroke([[29, 28], [52, 28]], 5)(x, y) || stroke([[29, 40], [52, 40]], 5)(x, y) || stroke([[29, 52], [44, 52]], 5)(x, y),
  // 我的: a person.
  mine: (x, y) => {
    const head = Math.abs(Math.hypot(x - 40.5, y - 27) - 11) <= 3;
    const r = Math.hypot((x - 40.5) / 25, (y - 70) / 22);
    const body = y <= 67 && Math.abs(r - 1) * 22 <= 3;
    const base = y >= 64 && y <= 70 && Math.abs(x - 40.5) <= 25;
    return head || body || base;
  },
};

/** @param {Buffer} buf */
function crc32(buf) {
  let c, crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** @param {string} type @param {Buffer} data */
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** @param {(x: number, y: number) => boolean} shape @param {number[]} rgb */
function png(shape, rgb) {
  const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
  for (let y = 0; y < SIZE; y++) {
    raw[y * (SIZE * 4 + 1)] = 0;
    for (let x = 0; x < SIZE; x++) {
      let hit = 0;
      for (let sy = 0; sy < SS; sy++) for (let sx = 0; sx < SS; sx++) if (shape(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS)) hit++;
      const o = y * (SIZE * 4 + 1) + 1 + x * 4;
      raw[o] = rgb[0]; raw[o + 1] = rgb[1]; raw[o + 2] = rgb[2];
      raw[o + 3] = Math.round((255 * hit) / (SS * SS));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

fs.mkdirSync(OUT, { recursive: true });
for (const [name, shape] of Object.entries(SHAPES)) {
  fs.writeFileSync(path.join(OUT, `${name}.png`), png(shape, [0x66, 0x66, 0x66]));
  fs.writeFileSync(path.join(OUT, `${name}-on.png`), png(shape, [0x00, 0x52, 0xd9]));
}
console.log(`tab-icons: ${Object.keys(SHAPES).length * 2} files in ${OUT}`);
