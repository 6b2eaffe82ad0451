// The dataset picker: one tile per dataset with a small preview drawn from the engine's own
// generator (same seed and noise as the run), so what you pick is what you train on.
import { useEffect, useRef } from 'react';
import type { RunSetup } from '../../../workers/protocol';
import { DATASET_NAMES } from '../../config/fields';
import { DATASET_LABELS } from '../../config/labels';
import { CLASSIFICATION_2D, REGRESSION_2D } from '../../engine/data/generators2d';
import { Rng, streamSeed } from '../../engine/rng';
import type { DatasetName } from '../../engine/types';
import { setField } from '../../state/actions';
import { useStore } from '../../state/store';
import { prepare } from '../charts/canvas';
import { classColor, valueColor } from '../charts/colors';

const PREVIEW_POINTS = 160;

function drawPreview(canvas: HTMLCanvasElement, name: DatasetName, noise: number, classes: number, seed: number) {
  const { ctx, w, h } = prepare(canvas);
  const rng = new Rng(streamSeed(seed, 'data'));
  if (name === 'digits') {
    drawDigits(ctx, w, h);
    return;
  }
  const gen = name in CLASSIFICATION_2D ? CLASSIFICATION_2D[name as keyof typeof CLASSIFICATION_2D] : null;
  const raw = gen
    ? gen.generate(PREVIEW_POINTS, noise, rng, classes)
    : REGRESSION_2D[name as keyof typeof REGRESSION_2D].generate(PREVIEW_POINTS, noise, rng);
  const b = raw.bounds!;
  const sx = (v: number) => ((v - b.xMin) / (b.xMax - b.xMin)) * w;
  const sy = (v: number) => h - ((v - b.yMin) / (b.yMax - b.yMin)) * h;
  for (let i = 0; i < PREVIEW_POINTS; i++) {
    ctx.fillStyle =
      raw.y instanceof Int32Array
        ? classColor(raw.y[i], raw.classes)
        : valueColor(2 * (raw.y as Float32Array)[i] - 0.5);
    ctx.beginPath();
    ctx.arc(sx(raw.x[2 * i]), sy(raw.x[2 * i + 1]), 1.6, 0, 2 * Math.PI);
    ctx.fill();
  }
}

/** Nine digit images (values in [0, 1]) seen in a digits run, kept for the tile after switching away. */
let digitTiles: { width: number; height: number; pixels: Float32Array } | null = null;

/** Keep the first nine training images of a digits setup (the worker loads the file, not the page). */
function rememberDigits(setup: RunSetup | null): void {
  const d = setup?.dataset;
  if (!d?.image || d.nTrain < 9) return;
  const px = d.image.width * d.image.height;
  digitTiles = { ...d.image, pixels: d.xTrain.slice(0, 9 * px) };
}

/** A 3x3 mosaic of real digits once a digits run has shown some; before that, a "0 – 9" label. */
function drawDigits(ctx: CanvasRenderingContext2D, w: number, h: number) {
  const d = digitTiles;
  if (!d) {
    ctx.fillStyle = getComputedStyle(ctx.canvas).color;
    ctx.font = '600 15px system-ui';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('0 – 9', w / 2, h / 2);
    return;
  }
  const img = ctx.createImageData(d.width * 3, d.height * 3);
  const px = d.width * d.height;
  for (let k = 0; k < 9; k++) {
    const ox = (k % 3) * d.width;
    const oy = Math.floor(k / 3) * d.height;
    for (let r = 0; r < d.height; r++)
      for (let c = 0; c < d.width; c++) {
        const v = Math.round(255 * (1 - d.pixels[k * px + r * d.width + c]));
        const o = ((oy + r) * d.width * 3 + ox + c) * 4;
        img.data.set([v, v, v, 255], o);
      }
  }
  const tmp = document.createElement('canvas');
  tmp.width = img.width;
  tmp.height = img.height;
  tmp.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tmp, 0, 0, w, h);
}

function Tile({ name, selected }: { name: DatasetName; selected: boolean }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const noise = useStore((s) => s.config.data.noise);
  const classes = useStore((s) => s.config.data.classes);
  const seed = useStore((s) => s.config.seed);
  const setup = useStore((s) => s.setup);
  useEffect(() => {
    if (name === 'digits') rememberDigits(setup);
    if (ref.current) drawPreview(ref.current, name, noise, classes, seed);
  }, [name, noise, classes, seed, setup]);
  return (
    <button
      type="button"
      className="dataset-tile"
      aria-pressed={selected}
      title={DATASET_LABELS[name]}
      data-dataset={name}
      onClick={() => setField('data.name', name)}
    >
      <canvas ref={ref} />
      <span>{DATASET_LABELS[name]}</span>
    </button>
  );
}

export function DatasetPicker() {
  const current = useStore((s) => s.config.data.name);
  return (
    <fieldset className="dataset-grid">
      <legend className="visually-hidden">Dataset</legend>
      {DATASET_NAMES.map((n) => (
        <Tile key={n} name={n} selected={n === current} />
      ))}
    </fieldset>
  );
}
