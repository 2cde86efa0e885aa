/**
 * Draws an admission ticket on a 2d canvas node, for 保存为图片: the same facts
 * as the page (number, name, masked ID, plan, sessions, rules) and its QR code.
 */

/** Width of the saved image in canvas pixels. */
const TICKET_WIDTH = 600;
const LINE = 30;
const PAD = 30;

/** @param {any} t the ticket */
function ticketHeight(t) {
  return 520 + (t.sessions || []).length * 3 * LINE + (t.rules || []).length * 3 * LINE + 300;
}

/**
 * Writes text wrapped to width, returns the y after it.
 * @param {any} ctx @param {string} text @param {number} x @param {number} y @param {number} width
 */
function wrap(ctx, text, x, y, width) {
  let line = '';
  for (const ch of String(text)) {
    if (ctx.measureText(line + ch).width > width && line) {
      ctx.fillText(line, x, y);
      y += LINE;
      line = ch;
    } else {
      line += ch;
    }
  }
  if (line) {
    ctx.fillText(line, x, y);
    y += LINE;
  }
  return y;
}

/**
 * Loads the QR data URL into a canvas image.
 * @param {any} canvas @param {string} src
 */
function loadImage(canvas, src) {
  return new Promise((resolve, reject) => {
    const img = canvas.createImage();
    img.onload = () => resolve(img);
    img.onerror = reject;
    img.src = src;
  });
}

/**
 * @param {any} canvas a node from SelectorQuery fields({ node: true })
 * @param {any} t the ticket from GET /api/v1/registrations/{id}/ticket
 */
async function drawTicket(canvas, t) {
  const p = t.plan || {};
  const h = ticketHeight(t);
  canvas.width = TICKET_WIDTH;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, TICKET_WIDTH, h);
  ctx.fillStyle = '#000000';
  ctx.font = 'bold 30px sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText('职业技能等级认定准考证', TICKET_WIDTH / 2, 50);
  ctx.textAlign = 'left';
  ctx.font = '22px sans-serif';
  let y = 100;
  const rows = [
    ['准考证号', t.ticket_no],
    ['姓名', t.name],
    [t.id_type_name || '证件号码', t.id_number],
    ['职业（工种）', p.occupation_name],
    ['等级', p.level_name],
    ['评价计划', `${p.plan_no || ''} ${p.plan_name || ''}`],
    ['评价机构', p.institution_name],
  ];
  for (const [k, v] of rows) {
    ctx.fillText(`${k}：`, PAD, y);
    y = wrap(ctx, v || '', PAD + 150, y, TICKET_WIDTH - PAD * 2 - 150);
  }
  ctx.font = 'bold 24px sans-serif';
  ctx.fillText('考试安排', PAD, (y += 10));
  y += LINE;
  ctx.font = '22px sans-serif';
  for (const s of t.sessions || []) {
    ctx.fillText(`${s.subject_name} ${s.date} ${s.start_time}–${s.end_time}`, PAD, y);
    y = wrap(ctx, `${s.venue} ${s.room} ${s.seat_no}号`, PAD, y + LINE, TICKET_WIDTH - PAD * 2) + 6;
  }
  const qr = await loadImage(canvas, t.qr_png);
  ctx.drawImage(qr, (TICKET_WIDTH - 240) / 2, y, 240, 240);
  y += 270;
  ctx.font = '18px sans-serif';
  (t.rules || []).forEach((/** @type {string} */ r, /** @type {number} */ i) => {
    y = wrap(ctx, `${i + 1}. ${r}`, PAD, y, TICKET_WIDTH - PAD * 2);
  });
}

module.exports = { drawTicket, ticketHeight, TICKET_WIDTH };
