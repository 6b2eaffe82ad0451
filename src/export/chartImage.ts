// Charts as files. SVG charts (the lesson demo draws SVG) are serialized as they are, with
// their inline styling, and rasterized to PNG through an <img> and a canvas: no network, no
// library. Canvas charts (the playground's live charts) give PNG directly; their SVG wraps the
// bitmap with the title and legend as real text (the plot itself is a bitmap there).

/** Standalone SVG text of an <svg> element: xmlns, explicit size and an opaque background. */
export function svgText(svg: SVGSVGElement, background = '#ffffff'): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const { width, height } = svgSize(svg);
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  if (!clone.getAttribute('viewBox')) clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', background);
  clone.insertBefore(bg, clone.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}\n`;
}

function svgSize(svg: SVGSVGElement): { width: number; height: number } {
  const vb = svg.viewBox?.baseVal;
  if (vb && vb.width > 0) return { width: vb.width, height: vb.height };
  const r = svg.getBoundingClientRect();
  return { width: Math.max(1, Math.round(r.width)), height: Math.max(1, Math.round(r.height)) };
}

/** PNG of SVG text at `scale` times its size (2 = crisp on a projector). */
export async function svgToPng(text: string, width: number, height: number, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('PNG export: no 2D canvas context');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await canvasBlob(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function canvasBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG export: the canvas is empty'))), 'image/png'),
  );
}

export async function svgElementToPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const { width, height } = svgSize(svg);
  return svgToPng(svgText(svg), width, height, scale);
}

const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The canvases of a chart card composited into one: title on top, then each canvas in document
 * order, on an opaque background. Returns the canvas (for PNG) and an SVG with the same layout.
 */
export function compositeCard(
  card: HTMLElement,
  background: string,
  foreground: string,
): { canvas: HTMLCanvasElement; svg: string } {
  const title = card.querySelector('h2')?.textContent ?? 'chart';
  const canvases = [...card.querySelectorAll('canvas')].filter((c) => c.width > 0 && c.height > 0);
  const dpr = canvases[0] ? canvases[0].width / Math.max(1, canvases[0].getBoundingClientRect().width) : 1;
  const pad = Math.round(8 * dpr);
  const head = Math.round(28 * dpr);
  const width = Math.max(200, ...canvases.map((c) => c.width)) + 2 * pad;
  const height = head + canvases.reduce((s, c) => s + c.height + pad, pad);
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height;
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('PNG export: no 2D canvas context');
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = foreground;
  ctx.font = `${Math.round(16 * dpr)}px system-ui, sans-serif`;
  ctx.fillText(title, pad, Math.round(20 * dpr));
  const images: string[] = [];
  let y = head;
  for (const c of canvases) {
    ctx.drawImage(c, pad, y);
    images.push(
      `<image x="${pad}" y="${y}" width="${c.width}" height="${c.height}" href="${c.toDataURL('image/png')}"/>`,
    );
    y += c.height + pad;
  }
  const svg = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="${esc(background)}"/>`,
    `<text x="${pad}" y="${Math.round(20 * dpr)}" font-family="system-ui, sans-serif" font-size="${Math.round(16 * dpr)}" fill="${esc(foreground)}">${esc(title)}</text>`,
    ...images,
    '</svg>',
    '',
  ].join('\n');
  return { canvas: out, svg };
}
