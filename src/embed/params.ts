// The URL parameters of an embedded page (docs/embed.md): `?embed=1&panels=loss,boundary&origins=…`,
// read once at start (EMBED). Apart from the commands (protocol.ts) because the first screen needs
// only these; the postMessage API (embedApi.ts) loads in an embed only.

/** The views an embed can show, by the ids the page's panel toggles use (App's Views). */
export const EMBED_PANELS = [
  'boundary',
  'network',
  'histograms',
  'loss',
  'accuracy',
  'ratio',
  'gradients',
  'diagnostics',
  'trajectory',
] as const;
export type EmbedPanel = (typeof EMBED_PANELS)[number];

export interface EmbedParams {
  embed: boolean;
  panels: EmbedPanel[];
  /** Origins whose messages are obeyed and to which events are posted; [] = this page's own origin only. */
  origins: string[];
  errors: string[];
}

const DEFAULT_PANELS: EmbedPanel[] = ['loss', 'boundary'];

/** Reads `embed=1&panels=loss,boundary&origins=https://a.org,https://b.org` from a query string. */
export function embedParams(search: string): EmbedParams {
  const q = new URLSearchParams(search);
  const embed = q.get('embed') === '1';
  const errors: string[] = [];
  const panels: EmbedPanel[] = [];
  for (const p of (q.get('panels') ?? '').split(',').filter(Boolean)) {
    if ((EMBED_PANELS as readonly string[]).includes(p)) panels.push(p as EmbedPanel);
    else errors.push(`panels: "${p}" is not a panel (one of ${EMBED_PANELS.join(', ')})`);
  }
  const origins: string[] = [];
  for (const o of (q.get('origins') ?? '').split(',').filter(Boolean)) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(o);
    } catch {}
    if (parsed && parsed.origin === o.replace(/\/$/, '') && parsed.origin !== 'null') origins.push(parsed.origin);
    else errors.push(`origins: "${o}" is not an origin like https://example.org`);
  }
  return { embed, panels: panels.length > 0 ? panels : DEFAULT_PANELS, origins, errors };
}

/** This page's embed parameters (read once from its query string). */
export const EMBED: EmbedParams = embedParams(typeof location === 'undefined' ? '' : location.search);
