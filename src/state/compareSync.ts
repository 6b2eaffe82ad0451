// Wires the view, the compare set and the sweep to the URL hash through persistence.ts's reserved
// parameters: read once at start (a shared link opens the same race, with notices for bad
// parts), written back on every change, and re-read when a pasted link changes them.
import { shallow } from 'zustand/shallow';
import type { Notice } from '../config/schema';
import { compareHashExtras, loadCompareExtras } from './compareSlice';
import { getHashExtras, onHashExtras, setHashExtras } from './persistence';
import { useStore } from './store';

function showNotices(notices: Notice[]): void {
  if (notices.length === 0) return;
  const s = useStore.getState();
  useStore.setState({ notices: [...s.notices, ...notices], noticeSource: s.noticeSource ?? 'link' });
}

/** Start syncing (call after startPersistence). Returns a function that stops it. */
export function startCompareSync(): () => void {
  showNotices(loadCompareExtras(getHashExtras(), showNotices));
  const write = () => {
    const e = compareHashExtras();
    setHashExtras({ view: e.view, compare: e.compare, sweep: e.sweep });
  };
  write();
  const unsub = useStore.subscribe(
    (s) => [s.compare.view, s.compare.compare, s.sweep.config, s.sweep.display] as const,
    write,
    { equalityFn: shallow },
  );
  const off = onHashExtras((e) => showNotices(loadCompareExtras(e, showNotices)));
  return () => {
    unsub();
    off();
  };
}
