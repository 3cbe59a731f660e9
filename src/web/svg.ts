/**
 * Server-side charts as inline SVG (no chart library): bar charts for categories, line charts for time
 * series. Every chart carries a <title> and <desc> plus a data table fallback on the page itself.
 */
import { html, type Html } from './html.js';

const PALETTE = ['#0b57a4', '#c2410c', '#15803d', '#7c3aed', '#a4000f', '#0f766e'];
const W = 480;
const H = 240;
const PAD = { left: 56, right: 12, top: 12, bottom: 48 };

/** Axis maximum: four equal ticks of a round step (1, 2, 2.5, 5 × 10^k); whole-number steps for whole-number data. */
function niceMax(v: number, integers = true): number {
  if (v <= 0) return 4;
  const raw = v / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  let step = 10 * p;
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * p >= raw) {
      step = m * p;
      break;
    }
  }
  if (integers) step = Math.max(1, Math.ceil(step));
  return step * 4;
}

const fmt = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en') : n.toFixed(1));

function axes(max: number): Html[] {
  const out: Html[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (max / 4) * i;
    const y = H - PAD.bottom - ((H - PAD.top - PAD.bottom) * i) / 4;
    out.push(html`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end" font-size="11" fill="#333">${fmt(v)}</text>`);
  }
  return out;
}

export function barChart(title: string, items: { label: string; value: number }[], id: string): Html {
  const max = niceMax(Math.max(0, ...items.map((i) => i.value)), items.every((i) => Number.isInteger(i.value)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const bw = items.length ? plotW / items.length : plotW;
  const bars = items.map((it, i) => {
    const h = (it.value / max) * plotH;
    const x = PAD.left + i * bw + bw * 0.15;
    const y = H - PAD.bottom - h;
    return html`<g><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(bw * 0.7).toFixed(1)}" height="${h.toFixed(1)}" fill="${PALETTE[i % PALETTE.length]}"><title>${it.label}: ${fmt(it.value)}</title></rect>
<text x="${(x + bw * 0.35).toFixed(1)}" y="${H - PAD.bottom + 14}" text-anchor="middle" font-size="11" fill="#333">${it.label}</text>
<text x="${(x + bw * 0.35).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" font-size="10" fill="#333">${fmt(it.value)}</text></g>`;
  });
  return html`<svg role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${W} ${H}" width="100%" xmlns="http://www.w3.org/2000/svg"><title id="${id}-t">${title}</title><desc id="${id}-d">${items.map((i) => `${i.label}: ${fmt(i.value)}`).join(', ')}</desc>${axes(max)}${bars}</svg>`;
}

export interface Series { name: string; points: { x: string; y: number }[] }

/** Line chart over a shared, ordered x axis (e.g. months "2024-01"). */
export function lineChart(title: string, series: Series[], id: string): Html {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort();
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.y))), series.every((s) => s.points.every((p) => Number.isInteger(p.y))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const xPos = (x: string) => PAD.left + (xs.length <= 1 ? plotW / 2 : (xs.indexOf(x) / (xs.length - 1)) * plotW);
  const yPos = (y: number) => H - PAD.bottom - (y / max) * plotH;
  const lines = series.map((s, i) => {
    const pts = s.points.map((p) => `${xPos(p.x).toFixed(1)},${yPos(p.y).toFixed(1)}`).join(' ');
    const colour = PALETTE[i % PALETTE.length]!;
    return html`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts}"/>${s.points.map((p) => html`<circle cx="${xPos(p.x).toFixed(1)}" cy="${yPos(p.y).toFixed(1)}" r="3" fill="${colour}"><title>${s.name} ${p.x}: ${fmt(p.y)}</title></circle>`)}
<text x="${PAD.left + 8 + i * 110}" y="${H - 8}" font-size="11" fill="${colour}">■ ${s.name}</text>`;
  });
  const step = Math.max(1, Math.ceil(xs.length / 6));
  const labels = xs.map((x, i) => (i % step === 0 ? html`<text x="${xPos(x).toFixed(1)}" y="${H - PAD.bottom + 14}" text-anchor="middle" font-size="10" fill="#333">${x}</text>` : ''));
  return html`<svg role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${W} ${H}" width="100%" xmlns="http://www.w3.org/2000/svg"><title id="${id}-t">${title}</title><desc id="${id}-d">${series.map((s) => `${s.name}: ${s.points.map((p) => `${p.x} ${fmt(p.y)}`).join(', ')}`).join('; ')}</desc>${axes(max)}${labels}${lines}</svg>`;
}
