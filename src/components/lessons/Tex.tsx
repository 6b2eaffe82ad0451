// A TeX formula typeset by KaTeX, bundled (CSS and fonts through Vite): no network request beyond
// this site. KaTeX (~70 kB gzipped) is not part of the first screen (issue 16 §4): it loads on
// the first formula shown, and until then the formula's TeX source stands in, marked busy.
import { useEffect, useState } from 'react';

type Katex = typeof import('katex').default;
let loaded: Katex | null = null;
let loading: Promise<Katex> | null = null;

/** KaTeX and its stylesheet, loaded once; a failed load (offline without the cache) is retried next time. */
export function loadKatex(): Promise<Katex> {
  loading ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(
    ([m]) => {
      loaded = m.default;
      return loaded;
    },
    (e) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

export function Tex({ tex, block = true }: { tex: string; block?: boolean }) {
  const [katex, setKatex] = useState<Katex | null>(loaded);
  useEffect(() => {
    if (katex) return;
    let live = true;
    loadKatex().then(
      (k) => live && setKatex(k),
      () => {}, // the TeX source stays on screen
    );
    return () => {
      live = false;
    };
  }, [katex]);
  const className = block ? 'tex block' : 'tex';
  if (!katex) {
    return (
      <div className={`${className} tex-loading`} aria-busy="true">
        <code>{tex}</code>
      </div>
    );
  }
  const html = katex.renderToString(tex, { displayMode: block, throwOnError: false, output: 'htmlAndMathml' });
  // biome-ignore lint/security/noDangerouslySetInnerHtml: KaTeX output of our own lesson data (trusted, escaped by KaTeX)
  return <div className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}
