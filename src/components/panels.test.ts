// The panel list has two readers: the App's layout (columnLayout + the sidebar) and the presenter's
// "Show" toggles (PanelToggles). They must name the same panels, and every name must survive the
// link's `hide=` list, or a toggle would hide nothing, or a panel could never be hidden.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { decodeHash, encodeHash } from '../config/urlHash';
import { EMBED_PANELS } from '../embed/protocol';
import { DEFAULT_CONFIG } from '../engine/defaults';
import { CONTROLS, columnLayout, isShown, PANELS, type PanelContext } from './panels';
import { PanelToggleList } from './presenter/ClassroomBar';

const laidOut = () => [...columnLayout('left'), ...columnLayout('right')].flat();
const points: PanelContext = { image: false, classification: true };

describe('the panel list', () => {
  it('the App lays out every panel of the list exactly once, and nothing else', () => {
    const ids = laidOut().map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([CONTROLS.id, ...ids].sort()).toEqual(PANELS.map((p) => p.id).sort());
    // every view has a component to draw; the sidebar is the only one the App draws itself
    expect(laidOut().every((p) => p.component !== undefined)).toBe(true);
  });

  it('the presenter toggles offer exactly the panels the App lays out, with their labels', () => {
    const html = renderToStaticMarkup(createElement(PanelToggleList, { hidden: ['network'] }));
    const labels = [...html.matchAll(/<label>(.*?)<\/label>/g)].map((m) => m[1]);
    const expected = [CONTROLS, ...laidOut()].map((p) => p.label);
    expect(labels.map((l) => l.replace(/<input[^>]*>\s*/, '').trim()).sort()).toEqual(expected.sort());
    // the hidden one is unchecked, all others checked
    const checked = labels.filter((l) => /checked/.test(l)).length;
    expect(checked).toBe(PANELS.length - 1);
    expect(labels.find((l) => l.includes('Network'))).not.toMatch(/checked/);
  });

  it('every panel name survives the link (hide=) unchanged', () => {
    const ids = PANELS.map((p) => p.id);
    const { extras, notices } = decodeHash(encodeHash(DEFAULT_CONFIG, { hide: ids }));
    expect(extras.hide).toEqual(ids);
    expect(notices.filter((n) => n.path === 'hide')).toEqual([]);
  });

  it('hiding a panel removes exactly that panel; accuracy needs a classification', () => {
    for (const p of laidOut()) {
      const shown = laidOut().filter((q) => isShown(q, [p.id], points));
      expect(shown.map((q) => q.id)).toEqual(
        laidOut()
          .filter((q) => q !== p)
          .map((q) => q.id),
      );
    }
    const accuracy = PANELS.find((p) => p.id === 'accuracy');
    expect(accuracy && isShown(accuracy, [], points)).toBe(true);
    expect(accuracy && isShown(accuracy, [], { ...points, classification: false })).toBe(false);
  });

  it('the embed offers exactly the panels of the list (embed/protocol.ts names them, without importing the views)', () => {
    expect([...EMBED_PANELS]).toEqual(PANELS.filter((p) => p.where !== 'sidebar').map((p) => p.id));
  });
});
