// Lessons before they are opened: the formula fonts, fetched on the first screen while the network
// is there (offline later), without loading the lesson catalogue (which comes with the lessons'
// chunk; issue 16 §4). A demo trains in the trainer worker, whose code and the digits the page's
// service worker keeps anyway.

/** KaTeX faces the lesson formulas use: loaded now, so they are there offline later. */
const KATEX_FACES = ['KaTeX_Main', 'italic 1em KaTeX_Math', 'KaTeX_Size1', 'KaTeX_Size2', 'KaTeX_AMS'];

/** Load the formula fonts while the network is there. */
export function prewarmLessons(): void {
  if (typeof document !== 'undefined' && document.fonts)
    for (const f of KATEX_FACES) void document.fonts.load(f.includes('1em') ? f : `1em ${f}`).catch(() => undefined);
}
