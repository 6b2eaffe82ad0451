// Keyboard shortcuts: `?` lists them. Playground keys (space, s, r) are handled by PlayBar; the
// classroom keys are handled here.
import { useEffect } from 'react';
import { closeLessons, openLessons, useLessonStore } from '../../lessons/lessonStore';
import { CONTROLS } from '../panels';
import { toggleFullscreen } from './fullscreen';
import { setHelp, setShare, togglePanel, togglePresenter, usePresenterStore } from './presenterStore';

export const SHORTCUTS: [string, string][] = [
  ['Space', 'play / pause (playground and compare)'],
  ['s or →', 'one training step'],
  ['r', 'reset (same initial weights)'],
  ['p', 'presenter mode: large type, thick lines, high contrast'],
  ['f', 'the chart under the mouse alone, full screen (Esc leaves)'],
  ['h', 'hide / show the control panel'],
  ['l', 'lessons'],
  ['k', 'share: link and QR code'],
  ['?', 'this list'],
  ['Esc', 'close a dialog'],
];

const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

let hovered: HTMLElement | null = null;

export function useClassroomShortcuts(): void {
  useEffect(() => {
    const over = (e: PointerEvent) => {
      hovered = (e.target as HTMLElement | null)?.closest?.('.card') ?? hovered;
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (e.key === '?') setHelp(!usePresenterStore.getState().help);
      else if (e.key === 'Escape') {
        setHelp(false);
        setShare(false);
        return;
      } else if (e.key === 'p') togglePresenter();
      else if (e.key === 'f') toggleFullscreen(hovered ?? document.querySelector<HTMLElement>('.card'));
      else if (e.key === 'h') togglePanel(CONTROLS.id);
      else if (e.key === 'l') (useLessonStore.getState().open ? closeLessons : openLessons)();
      else if (e.key === 'k') setShare(true);
      else return;
      e.preventDefault();
    };
    addEventListener('keydown', onKey);
    addEventListener('pointerover', over);
    return () => {
      removeEventListener('keydown', onKey);
      removeEventListener('pointerover', over);
    };
  }, []);
}

export function ShortcutsHelp() {
  const open = usePresenterStore((s) => s.help);
  if (!open) return null;
  return (
    <div className="modal-backdrop">
      <dialog open className="modal" aria-labelledby="keys-title" data-testid="shortcuts">
        <h2 id="keys-title">Keyboard shortcuts</h2>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map(([k, what]) => (
              <tr key={k}>
                <th scope="row">
                  <kbd>{k}</kbd>
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={() => setHelp(false)}>
            Close
          </button>
        </div>
      </dialog>
    </div>
  );
}
