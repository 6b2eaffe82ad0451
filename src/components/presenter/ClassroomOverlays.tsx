// The classroom's dialogs (share, shortcuts) and keyboard shortcuts, mounted once by App.
import { ShareDialog } from './ShareDialog';
import { ShortcutsHelp, useClassroomShortcuts } from './ShortcutsHelp';
import './presenter.css';

export function ClassroomOverlays() {
  useClassroomShortcuts();
  return (
    <>
      <ShareDialog />
      <ShortcutsHelp />
    </>
  );
}
