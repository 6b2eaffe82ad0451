// The service worker (vite.config.ts, VitePWA): registered after the first screen is up, in
// production builds only. A new deployed version is never swapped under a running demo: its
// worker waits, the page announces it ("Reload to update", UpdateBanner) and only that button
// activates it and reloads. `data-offline="ready"` on <html> says the whole site is cached.
import { create } from 'zustand';

export interface AppUpdateState {
  /** A new version is installed and waiting for the user's reload. */
  waiting: boolean;
  /** Every file of this version is cached: the app works without the network. */
  offlineReady: boolean;
}

export const useAppUpdate = create<AppUpdateState>()(() => ({ waiting: false, offlineReady: false }));

let update: ((reloadPage?: boolean) => Promise<void>) | null = null;
const UPDATE_CHECK_MS = 30 * 60 * 1000;

export function startAppUpdates(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  void import('virtual:pwa-register').then(({ registerSW }) => {
    update = registerSW({
      onNeedRefresh: () => useAppUpdate.setState({ waiting: true }),
      onOfflineReady: () => useAppUpdate.setState({ offlineReady: true }),
      onRegisteredSW: (_url, reg) => {
        // Already cached by an earlier visit: nothing to install, the site works offline now.
        if (reg?.active && navigator.serviceWorker.controller) useAppUpdate.setState({ offlineReady: true });
        // A page left open through a lecture still hears of a new deployment (announced, not applied).
        if (reg) setInterval(() => void reg.update().catch(() => {}), UPDATE_CHECK_MS);
      },
    });
  });
  useAppUpdate.subscribe((s) => {
    if (s.offlineReady) document.documentElement.dataset.offline = 'ready';
  });
}

/** The user's "Reload to update": the waiting version takes over and the page reloads on it. */
export function applyUpdate(): void {
  // Reload when the new worker takes control, whichever check found it (Workbox's own 'controlling'
  // event covers only the version found at registration, not one found by a later check).
  navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
  void update?.(true);
}
