import { t, type Lang } from '../i18n';
import type { WidgetLook } from '../types';
import { safeColor } from '../util';
import { IconChat, IconX } from '../components/Icons';

/**
 * The greeting pop-up's text as the widget picks it (web/widget app.ts popup()): the language's
 * pop-up message, else the inbox's, else the language's greeting, else the inbox's; "" without a delay set.
 */
export function popupText(look: WidgetLook, lang: Lang): string {
  if (typeof look.popup_delay_s !== 'number') return '';
  const tr = look.translations?.[lang];
  const own = look as WidgetLook & { popup_message?: string };
  return (tr?.popup_message || own.popup_message || tr?.greeting || look.greeting || '').trim();
}

/**
 * A small, static mock of a web page with the chat launcher as configured, and the greeting
 * pop-up only when the real widget shows one (a pop-up delay is set), in the preview's language.
 */
export function WidgetPreview({ look, lang }: { look: WidgetLook; lang: Lang }) {
  const color = safeColor(look.color);
  const side = look.position === 'left' ? 'left' : 'right';
  const popup = popupText(look, lang);
  return (
    <div class="wp" data-testid="widget-preview" data-style={look.button_style} data-position={side} data-lang={lang}>
      <div class="wp-chrome" aria-hidden="true">
        <i />
        <i />
        <i />
        <span class="wp-url">{t('inboxes.previewPage')}</span>
      </div>
      <div class="wp-page" aria-hidden="true">
        <div class="wp-line wp-line-lg" />
        <div class="wp-line" />
        <div class="wp-line wp-line-sm" />
        <div class="wp-blocks">
          <span />
          <span />
          <span />
        </div>
      </div>
      {popup && (
        <div class={`wp-greeting wp-${side}`} lang={lang} data-testid="widget-preview-popup">
          <span>{popup}</span>
          <IconX size={12} />
        </div>
      )}
      {look.button_style === 'bubble' && (
        <span class={`wp-bubble wp-${side}`} style={{ background: color }}>
          <IconChat size={22} />
        </span>
      )}
      {look.button_style === 'pill' && (
        <span class={`wp-pill wp-${side}`} style={{ background: color }}>
          <IconChat size={16} />
          {t('inboxes.previewCta')}
        </span>
      )}
      {look.button_style === 'tab' && (
        <span class={`wp-tab wp-${side}`} style={{ background: color }}>
          <IconChat size={14} />
          {t('inboxes.previewCta')}
        </span>
      )}
    </div>
  );
}
