// Small pieces the scripts' page, proposals and effect share.
import type { ComponentChildren } from 'preact';
import { LANGS, t } from '../i18n';
import { navigate } from '../store';
import { formatRoute, type Route } from '../router';
import { pieces } from '../canned/cannedApi';

export const langName = (code: string) => (code ? LANGS.find((l) => l.code === code)?.name ?? code : t('canned.anyLanguage'));

/** An address inside the page, as a link that navigates without a reload. */
export function PageLink({ route, class: cls, testid, children, label }: { route: Route; class?: string; testid?: string; children: ComponentChildren; label?: string }) {
  return (
    <a
      href={formatRoute(route)}
      class={cls}
      aria-label={label}
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(route);
      }}
      data-testid={testid}
    >
      {children}
    </a>
  );
}

/** A variant's text with its {{variables}} marked. */
export function ScriptText({ text }: { text: string }) {
  return (
    <>
      {pieces(text).map((p, i) =>
        'text' in p ? (
          p.text
        ) : (
          <mark key={i} class="canned-var" title={p.fallback ? `${p.name} | ${p.fallback}` : p.name}>
            {p.raw}
          </mark>
        ),
      )}
    </>
  );
}
