// A TeX formula typeset by KaTeX, bundled (CSS and fonts through Vite): no network request.
import katex from 'katex';
import 'katex/dist/katex.min.css';

export function Tex({ tex, block = true }: { tex: string; block?: boolean }) {
  const html = katex.renderToString(tex, { displayMode: block, throwOnError: false, output: 'htmlAndMathml' });
  // biome-ignore lint/security/noDangerouslySetInnerHtml: KaTeX output of our own lesson data (trusted, escaped by KaTeX)
  return <div className={block ? 'tex block' : 'tex'} dangerouslySetInnerHTML={{ __html: html }} />;
}
