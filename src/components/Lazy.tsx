// Parts of the page that are not on the first screen load on demand (issue 16 §4: the first
// screen's JavaScript stays under its budget, scripts/bundleBudget.ts). `lazyNamed` wraps a named
// export for React.lazy; `Loading` is what shows while the part's chunk comes over the network
// (and, should it fail, e.g. offline before the page was ever cached, says so with a retry).
import { Component, type FunctionComponent, type LazyExoticComponent, lazy, type ReactNode, Suspense } from 'react';

/** React.lazy for a module's named export: `lazyNamed(() => import('./X'), 'X')`. */
export function lazyNamed<K extends string, M extends Record<K, FunctionComponent>>(
  load: () => Promise<M>,
  name: K,
): LazyExoticComponent<M[K]> {
  return lazy(async () => ({ default: (await load())[name] }));
}

/** A failed dynamic import (the chunk did not come), as opposed to an error of the part itself. */
const isLoadError = (e: unknown) =>
  e instanceof TypeError && /dynamically imported module|Importing a module script failed|fetch/i.test(e.message);

export function Loading({ what }: { what: string }) {
  return (
    <div className="loading" role="status" aria-live="polite" data-testid="loading">
      Loading {what}…
    </div>
  );
}

class LoadFailed extends Component<{ what: string; children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    if (this.state.error === null) return this.props.children;
    // Any other error is the part's own: it goes on up, not disguised as a network problem.
    if (!isLoadError(this.state.error)) throw this.state.error;
    return (
      <div className="loading" role="alert">
        {this.props.what} could not be loaded (offline?).{' '}
        <button type="button" className="btn" onClick={() => location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}

/** A lazily loaded part with its loading state and its load-failure message. */
export function OnDemand({ what, children }: { what: string; children: ReactNode }) {
  return (
    <LoadFailed what={what}>
      <Suspense fallback={<Loading what={what} />}>{children}</Suspense>
    </LoadFailed>
  );
}
