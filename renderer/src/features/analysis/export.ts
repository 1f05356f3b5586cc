import { PALETTE } from './echarts';

/**
 * The dashboard as one PNG: every chart's canvas drawn where it sits on the page, with the KPI
 * cards' and widget titles' text, on the console's background. Offline, no extra library: the
 * charts are canvases already (ECharts' canvas renderer), and the rest is a few lines of text.
 */
export async function exportDashboardPng(root: HTMLElement, fileName: string): Promise<void> {
  const blob = await dashboardPng(root);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function dashboardPng(root: HTMLElement, pixelRatio = window.devicePixelRatio || 1): Promise<Blob> {
  const box = root.getBoundingClientRect();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(root.scrollWidth * pixelRatio);
  canvas.height = Math.round(root.scrollHeight * pixelRatio);
  const ctx = canvas.getContext('2d')!;
  ctx.scale(pixelRatio, pixelRatio);
  ctx.fillStyle = PALETTE.background;
  ctx.fillRect(0, 0, root.scrollWidth, root.scrollHeight);
  const at = (el: Element) => {
    const r = el.getBoundingClientRect();
    return { x: r.left - box.left + root.scrollLeft, y: r.top - box.top + root.scrollTop, w: r.width, h: r.height };
  };
  // Panels first, then text, then the charts' canvases on top.
  for (const panel of root.querySelectorAll('.analysis-kpi, .analysis-widget')) {
    const r = at(panel);
    ctx.fillStyle = PALETTE.panel;
    ctx.strokeStyle = PALETTE.border;
    ctx.fillRect(r.x, r.y, r.w, r.h);
    ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
  }
  for (const el of root.querySelectorAll<HTMLElement>('.analysis-kpi p, .analysis-widget-head p')) {
    const r = at(el);
    const style = getComputedStyle(el);
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    ctx.fillStyle = style.color;
    ctx.textBaseline = 'top';
    ctx.fillText(el.textContent ?? '', r.x, r.y + 1, r.w);
  }
  for (const chart of root.querySelectorAll('canvas')) {
    const r = at(chart);
    if (r.w && r.h) ctx.drawImage(chart, r.x, r.y, r.w, r.h);
  }
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
}
