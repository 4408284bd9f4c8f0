// Minimal dependency-free SVG charts for benchmark results (line and bar charts).

export interface Series {
  name: string;
  points: Array<[number, number]>;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  logX?: boolean;
}

export interface BarChartOptions {
  title: string;
  yLabel: string;
  bars: Array<{ label: string; value: number }>;
}

const WIDTH = 800;
const HEIGHT = 480;
const MARGIN = { top: 50, right: 170, bottom: 60, left: 80 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Rounds a span to a "nice" step (1, 2, 5 × 10^n) for axis ticks. */
function niceStep(span: number, ticks: number): number {
  const raw = span / Math.max(1, ticks);
  const magnitude = 10 ** Math.floor(Math.log10(raw || 1));
  const normalized = raw / magnitude;
  const nice = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10;
  return nice * magnitude;
}

function formatTick(value: number): string {
  if (Math.abs(value) >= 1e6) return `${+(value / 1e6).toFixed(2)}M`;
  if (Math.abs(value) >= 1e3) return `${+(value / 1e3).toFixed(2)}k`;
  return String(+value.toFixed(3));
}

function frame(title: string, xLabel: string, yLabel: string, body: string[]): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="28" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 15}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text transform="translate(20 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
    ...body,
    '</svg>',
  ].join('\n');
}

export function lineChart(options: LineChartOptions): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const all = options.series.flatMap((s) => s.points);
  const tx = (x: number): number => (options.logX ? Math.log10(Math.max(x, 1e-12)) : x);
  const xs = all.map(([x]) => tx(x));
  const ys = all.map(([, y]) => y);
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  const yMax = ys.length ? Math.max(...ys) : 1;
  const yStep = niceStep(yMax || 1, 5);
  const yTop = Math.ceil((yMax || 1) / yStep) * yStep;
  const sx = (x: number): number => MARGIN.left + ((tx(x) - xMin) / (xMax - xMin || 1)) * plotW;
  const sy = (y: number): number => MARGIN.top + plotH - (y / yTop) * plotH;
  const body: string[] = [];
  for (let y = 0; y <= yTop + 1e-9; y += yStep) {
    body.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${sy(y)}" y2="${sy(y)}" stroke="#eee"/>`);
    body.push(`<text x="${MARGIN.left - 6}" y="${sy(y) + 4}" text-anchor="end">${formatTick(y)}</text>`);
  }
  const xTicks: number[] = [];
  if (options.logX) {
    for (let p = Math.floor(xMin); p <= Math.ceil(xMax); p++) xTicks.push(10 ** p);
  } else {
    const step = niceStep(xMax - xMin || 1, 8);
    for (let x = Math.ceil(xMin / step) * step; x <= xMax + 1e-9; x += step) xTicks.push(x);
  }
  for (const x of xTicks) {
    const px = sx(x);
    if (px < MARGIN.left - 1 || px > MARGIN.left + plotW + 1) continue;
    body.push(`<text x="${px}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${formatTick(x)}</text>`);
  }
  options.series.forEach((series, i) => {
    const color = COLORS[i % COLORS.length];
    const path = series.points.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
    body.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
    if (series.points.length <= 40) {
      for (const [x, y] of series.points) body.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${color}"/>`);
    }
    const ly = MARGIN.top + 10 + i * 20;
    body.push(`<rect x="${WIDTH - MARGIN.right + 15}" y="${ly - 8}" width="14" height="4" fill="${color}"/>`);
    body.push(`<text x="${WIDTH - MARGIN.right + 35}" y="${ly - 2}">${escapeXml(series.name)}</text>`);
  });
  return frame(options.title, options.xLabel, options.yLabel, body);
}

export function barChart(options: BarChartOptions): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const yMax = Math.max(1e-12, ...options.bars.map((b) => b.value));
  const yStep = niceStep(yMax, 5);
  const yTop = Math.ceil(yMax / yStep) * yStep;
  const sy = (y: number): number => MARGIN.top + plotH - (y / yTop) * plotH;
  const body: string[] = [];
  for (let y = 0; y <= yTop + 1e-9; y += yStep) {
    body.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${sy(y)}" y2="${sy(y)}" stroke="#eee"/>`);
    body.push(`<text x="${MARGIN.left - 6}" y="${sy(y) + 4}" text-anchor="end">${formatTick(y)}</text>`);
  }
  const slot = plotW / Math.max(1, options.bars.length);
  options.bars.forEach((bar, i) => {
    const x = MARGIN.left + i * slot + slot * 0.15;
    const y = sy(bar.value);
    body.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${(MARGIN.top + plotH - y).toFixed(1)}" fill="${COLORS[i % COLORS.length]}"/>`);
    body.push(`<text x="${(x + slot * 0.35).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle">${formatTick(bar.value)}</text>`);
    body.push(`<text x="${(x + slot * 0.35).toFixed(1)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle" font-size="10">${escapeXml(bar.label)}</text>`);
  });
  return frame(options.title, '', options.yLabel, body);
}
