// Presenter mode (`present=1` in the link): large type, thick lines, high contrast, for a
// projector. Panels are hidden with the playground's `hide=` list (ui.hidden). The flag is a
// class on <html>, so every stylesheet (ours and the charts') can respond to it.
import { create } from 'zustand';
import { setUi } from '../../state/actions';
import { getHashExtras, onHashExtras, setHashExtras } from '../../state/persistence';
import { useStore } from '../../state/store';

export interface PresenterState {
  presenter: boolean;
  /** The keyboard shortcut list (`?`) is open. */
  help: boolean;
  /** The share dialog (link + QR code) is open. */
  share: boolean;
}

export const usePresenterStore = create<PresenterState>()(() => ({ presenter: false, help: false, share: false }));

function apply(on: boolean): void {
  document.documentElement.classList.toggle('presenter', on);
  usePresenterStore.setState({ presenter: on });
}

export function setPresenter(on: boolean): void {
  apply(on);
  setHashExtras({ present: on ? '1' : undefined });
}

export const togglePresenter = () => setPresenter(!usePresenterStore.getState().presenter);
export const setHelp = (help: boolean) => usePresenterStore.setState({ help });
export const setShare = (share: boolean) => usePresenterStore.setState({ share });

/** Show or hide one panel (the link's `hide=` list). */
export function togglePanel(panel: string): void {
  const hidden = useStore.getState().ui.hidden;
  setUi({ hidden: hidden.includes(panel) ? hidden.filter((p) => p !== panel) : [...hidden, panel] });
  setHashExtras({ hide: useStore.getState().ui.hidden });
}

/** Start after startPersistence(): applies the link's flag and follows pasted links. */
export function startPresenterSync(): () => void {
  apply(getHashExtras().present === '1');
  return onHashExtras((e) => apply(e.present === '1'));
}
