/**
 * Tiny inline-SVG charts for the offline report: no library, no CDN, just markup. Every chart
 * carries `data-points` (how many values it drew) so a test can tell an empty chart from a drawn one.
 */

export const escapeXml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

export interface Bar {
  label: string;
  value: number;
  color?: string;
}

const PALETTE = ["#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#4b5563"];

/** Horizontal bars, one row per value, labelled on the left and valued on the right. */
export function barChartSvg(id: string, bars: Bar[], format: (value: number) => string): string {
  const rowHeight = 28;
  const labelWidth = 170;
  const valueWidth = 90;
  const plotWidth = 420;
  const width = labelWidth + plotWidth + valueWidth;
  const height = Math.max(1, bars.length) * rowHeight + 10;
  const max = Math.max(...bars.map((bar) => bar.value), 0);
  const rows = bars.map((bar, index) => {
    const y = 5 + index * rowHeight;
    const length = max === 0 ? 0 : Math.max(1, (bar.value / max) * plotWidth);
    const color = bar.color ?? PALETTE[index % PALETTE.length];
    return [
      `<text x="${labelWidth - 8}" y="${y + 18}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect class="bar" x="${labelWidth}" y="${y + 4}" width="${length.toFixed(1)}" height="${rowHeight - 8}" fill="${color}" data-value="${bar.value}"><title>${escapeXml(bar.label)}: ${escapeXml(format(bar.value))}</title></rect>`,
      `<text x="${labelWidth + length + 6}" y="${y + 18}">${escapeXml(format(bar.value))}</text>`,
    ].join("");
  });
  return `<svg id="${id}" class="chart" data-points="${bars.length}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" xmlns="http://www.w3.org/2000/svg">${rows.join("")}</svg>`;
}

export interface Series {
  name: string;
  values: number[];
  color: string;
}

/** Lines over a shared x axis (labels), y from 0 to the largest value (or yMax). */
export function lineChartSvg(id: string, labels: string[], series: Series[], yMax?: number): string {
  const width = 680;
  const height = 280;
  const left = 50;
  const right = 130;
  const top = 15;
  const bottom = 40;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const top_ = yMax ?? Math.max(1, ...series.flatMap((line) => line.values));
  const x = (index: number) =>
    left + (labels.length <= 1 ? plotWidth / 2 : (index / (labels.length - 1)) * plotWidth);
  const y = (value: number) => top + plotHeight - (value / top_) * plotHeight;
  const gridValues = [0, 0.25, 0.5, 0.75, 1].map((share) => share * top_);
  const grid = gridValues
    .map(
      (value) =>
        `<line x1="${left}" x2="${left + plotWidth}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#e5e7eb"/><text x="${left - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${Number(value.toFixed(1))}</text>`,
    )
    .join("");
  const tickEvery = Math.max(1, Math.ceil(labels.length / 6));
  const ticks = labels
    .map((label, index) =>
      index % tickEvery === 0
        ? `<text x="${x(index).toFixed(1)}" y="${height - bottom + 18}" text-anchor="middle">${escapeXml(label)}</text>`
        : "",
    )
    .join("");
  const lines = series
    .map((line, seriesIndex) => {
      const points = line.values
        .map((value, index) => `${x(index).toFixed(1)},${y(value).toFixed(1)}`)
        .join(" ");
      const legendY = top + 14 + seriesIndex * 20;
      return `<polyline class="series" data-series="${escapeXml(line.name)}" data-points="${line.values.length}" fill="none" stroke="${line.color}" stroke-width="2" points="${points}"/><rect x="${width - right + 12}" y="${legendY - 9}" width="12" height="4" fill="${line.color}"/><text x="${width - right + 30}" y="${legendY}">${escapeXml(line.name)}</text>`;
    })
    .join("");
  const count = series.reduce((sum, line) => sum + line.values.length, 0);
  return `<svg id="${id}" class="chart" data-points="${count}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" xmlns="http://www.w3.org/2000/svg">${grid}${ticks}${lines}</svg>`;
}
