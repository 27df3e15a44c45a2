// Pages that few agents open (settings, reports, live view…) are chunks of their own,
// fetched on first visit: lazyPage() wraps such an import in a component that shows
// a small loading state until the chunk is there (and a retry if it could not be fetched).
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';

export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const fetchIt = () =>
    (pending ??= load().then(
      (c) => (loaded = c),
      (err) => {
        pending = null;
        throw err;
      },
    ));
  return function LazyPage(props: P) {
    const [, setTick] = useState(0);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (loaded) return;
      let live = true;
      fetchIt().then(
        () => live && setTick((n) => n + 1),
        () => live && setFailed(true),
      );
      return () => {
        live = false;
      };
    }, [failed]);
    if (loaded) {
      const C = loaded;
      return <C {...props} />;
    }
    return (
      <main class="settings-pane lazy-page" data-testid="page-loading">
        {failed ? (
          <div class="lazy-page-state" role="alert">
            <span>{t('error.network')}</span>
            <button type="button" class="btn btn-secondary" onClick={() => setFailed(false)}>
              {t('common.retry')}
            </button>
          </div>
        ) : (
          <div class="lazy-page-state" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true" />
            <span>{t('common.loading')}</span>
          </div>
        )}
      </main>
    );
  };
}
