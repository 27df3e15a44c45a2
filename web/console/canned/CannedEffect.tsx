// A canned answer's effect (supervisors and admins): for each variant, what followed the
// conversations it was sent in — CSAT, resolution and handle time with their 95% intervals
// and the server's verdict per measure (components/VariantEffect.tsx, as for scripts).
// Shown in a card above the list, like the form; Esc or × closes it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { t } from '../i18n';
import { errorText } from '../store';
import { ErrorNotice, FormCardHeader } from '../components/Common';
import { EffectCharts, EffectTable, EffectVerdicts, numberedWords } from '../components/VariantEffect';
import { ScriptText } from '../scripts/parts';
import { cannedEffect, type CannedAnswer, type CannedEffect as Effect } from './cannedApi';

/** A canned answer's variants are indices from 0, named from 1. */
const WORDS = numberedWords((id) => id + 1);

export function CannedEffect({ answer, onClose }: { answer: CannedAnswer; onClose: () => void }) {
  const [effect, setEffect] = useState<Effect | null>(null);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    setEffect(null);
    setError(null);
    cannedEffect(answer.id)
      .then((e) => live && setEffect(e))
      .catch((err) => {
        if (!live || (err instanceof ApiError && err.status === 401)) return;
        setError(err instanceof ApiError && err.status === 404 ? t('canned.effectGone') : errorText(err));
      });
    requestAnimationFrame(() => heading.current?.focus());
    return () => {
      live = false;
    };
  }, [answer.id]);

  return (
    <section
      class="card form-card canned-effect"
      aria-labelledby="canned-effect-title"
      data-testid="canned-effect"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <FormCardHeader id="canned-effect-title" headingRef={heading} onCancel={onClose}>
        {t('canned.effectOf', { shortcut: answer.shortcut, title: answer.title })}
      </FormCardHeader>
      <ErrorNotice error={error} />
      {!effect ? (
        !error && <p class="card-state">{t('common.loading')}</p>
      ) : (
        <>
          <p class="muted small effect-hint">{t('canned.effectHint', { min: effect.min_per_variant })}</p>
          <EffectVerdicts effect={effect} words={WORDS} />
          <EffectTable effect={effect} words={WORDS} text={(v) => <ScriptText text={v.text} />} />
          <EffectCharts effect={effect} words={WORDS} />
        </>
      )}
    </section>
  );
}
