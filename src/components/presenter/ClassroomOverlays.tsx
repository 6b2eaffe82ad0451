// The classroom's dialogs (share, shortcuts) and keyboard shortcuts, mounted once by App.
// The share dialog (with its QR code generator) loads when first opened.
import { lazyNamed, OnDemand } from '../Lazy';
import { usePresenterStore } from './presenterStore';
import { ShortcutsHelp, useClassroomShortcuts } from './ShortcutsHelp';
import './presenter.css';

const ShareDialog = lazyNamed(() => import('./ShareDialog'), 'ShareDialog');

export function ClassroomOverlays() {
  useClassroomShortcuts();
  const share = usePresenterStore((s) => s.share);
  return (
    <>
      {share && (
        <OnDemand what="the share dialog">
          <ShareDialog />
        </OnDemand>
      )}
      <ShortcutsHelp />
    </>
  );
}
