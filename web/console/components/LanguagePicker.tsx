// The console's language: the <select> the top bar, My account and the sign-in pages
// show, and the brand those sign-in pages carry above their card.
import { LANGS, t, type Lang } from '../i18n';
import { setLang, useStore } from '../store';
import { IconChat } from './Icons';

/** A <select> of the console's languages, set to the current one; choosing one switches the console to it. */
export function ConsoleLangSelect({ id, class: cls, testid, label }: { id?: string; class?: string; testid: string; label?: string }) {
  const lang = useStore((s) => s.lang);
  return (
    <select id={id} class={cls} value={lang} onChange={(e) => setLang(e.currentTarget.value as Lang)} data-testid={testid} aria-label={label}>
      {LANGS.map((l) => (
        <option value={l.code} key={l.code}>
          {l.name}
        </option>
      ))}
    </select>
  );
}

/** The sign-in pages' language picker (the login form, the forced two-factor setup): a quiet select, its label for screen readers only. */
export function LanguagePicker({ id }: { id: string }) {
  return (
    <>
      <label class="sr-only" for={id}>
        {t('top.language')}
      </label>
      <ConsoleLangSelect id={id} class="select-quiet" testid="lang-select" />
    </>
  );
}

/** The mark and name above a sign-in card. */
export function LoginBrand() {
  return (
    <div class="login-brand">
      <span class="brand-mark" aria-hidden="true">
        <IconChat size={20} />
      </span>
      <span class="brand-name">{t('app.name')}</span>
    </div>
  );
}
