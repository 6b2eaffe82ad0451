// "A new version is ready": shown when a newly deployed Descent is installed and waiting
// (src/state/appUpdate.ts). The running page keeps its version until the button is pressed.
import { applyUpdate, useAppUpdate } from '../state/appUpdate';

export function UpdateBanner() {
  const waiting = useAppUpdate((s) => s.waiting);
  if (!waiting) return null;
  return (
    <div className="notices update" role="status" data-testid="update-banner">
      <div className="grow">A new version of Descent is ready. The page keeps this one until you reload.</div>
      <button type="button" className="btn small" onClick={applyUpdate} data-testid="update-reload">
        Reload to update
      </button>
    </div>
  );
}
