import { t } from '../i18n';
import type { WidgetLook } from '../types';
import { safeColor } from '../util';
import { IconChat } from '../components/Icons';

/** A small, static mock of a web page with the chat launcher as configured. */
export function WidgetPreview({ look }: { look: WidgetLook }) {
  const color = safeColor(look.color);
  const side = look.position === 'left' ? 'left' : 'right';
  return (
    <div class="wp" data-testid="widget-preview" data-style={look.button_style} data-position={side}>
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
      {look.greeting.trim() && look.button_style !== 'tab' && (
        <div class={`wp-greeting wp-${side}`}>{look.greeting.trim()}</div>
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
