// A script's effect (supervisors): for each variant, what followed its use — CSAT,
// resolution and handle time with their 95% intervals, and per measure the server's
// verdict in words (components/VariantEffect.tsx, shared with canned answers and the
// coach). "Promote variant N" keeps that one and retires the others (their figures
// kept); any variant may be promoted by hand, with a confirmation that says what the
// figures do and do not show.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { t } from '../i18n';
import { errorText, toast } from '../store';
import { ErrorNotice } from '../components/Common';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EffectCharts, EffectTable, EffectVerdicts, numberedWords, winnersOf } from '../components/VariantEffect';
import { effectOf, promote, situationName, type Effect } from './scriptsApi';
import { PageLink, ScriptText, langName } from './parts';

/** A script's variants are named by their ids (1, 2, …). */
const WORDS = numberedWords((id) => id);

export function ScriptEffect({ id }: { id: number }) {
  const [effect, setEffect] = useState<Effect | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [promoting, setPromoting] = useState<{ variant: number; winner: boolean } | null>(null);

  async function load() {
    try {
      setEffect(await effectOf(id));
      setError(null);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setError(t('scripts.notFound'));
      else if (!(err instanceof ApiError && err.status === 401)) setError(errorText(err));
    }
  }
  useEffect(() => {
    setEffect(null);
    void load();
  }, [id]);

  const back = (
    <PageLink route={{ section: 'scripts', tab: 'list', scriptId: null }} class="script-back" testid="effect-back">
      ← {t('scripts.allScripts')}
    </PageLink>
  );
  if (error)
    return (
      <section class="script-effect">
        {back}
        <ErrorNotice error={error} />
      </section>
    );
  if (!effect)
    return (
      <section class="script-effect">
        {back}
        <p class="card card-state">{t('common.loading')}</p>
      </section>
    );

  const s = effect.script;
  const inUse = effect.variants.filter((v) => !v.retired);
  const winners = winnersOf(effect);

  return (
    <section class="script-effect" aria-labelledby="effect-title" data-testid="script-effect">
      {back}
      <header class="effect-head">
        <h2 id="effect-title">{t('scripts.effectOf', { title: s.title })}</h2>
        <span class="canned-badges">
          <span class="canned-badge">{situationName(s.situation)}</span>
          <span class="canned-badge">{langName(s.language)}</span>
        </span>
      </header>
      <p class="muted small effect-hint">{t('scripts.effectHint', { min: effect.min_per_variant })}</p>

      <EffectVerdicts effect={effect} words={WORDS} />
      {winners.length > 0 && (
        <div class="effect-promote" data-testid="effect-promote">
          {winners.map((w) => (
            <button key={w} type="button" class="btn btn-primary" onClick={() => setPromoting({ variant: w, winner: true })} data-testid="effect-promote-winner" data-variant={w}>
              {t('scripts.promoteN', { n: w })}
            </button>
          ))}
          <span class="muted small">{t('scripts.promoteHint')}</span>
        </div>
      )}

      <EffectTable
        effect={effect}
        words={WORDS}
        text={(v) => <ScriptText text={v.text} />}
        actions={(v) =>
          !v.retired && inUse.length > 1 ? (
            <button
              type="button"
              class="btn btn-ghost btn-sm"
              onClick={() => setPromoting({ variant: v.id, winner: winners.includes(v.id) })}
              aria-label={t('scripts.promoteN', { n: v.id })}
              data-testid="effect-promote-variant"
            >
              {t('scripts.promote')}
            </button>
          ) : null
        }
      />
      <EffectCharts effect={effect} words={WORDS} />

      {promoting && (
        <ConfirmDialog
          title={t('scripts.promoteN', { n: promoting.variant })}
          testid="promote-dialog"
          text={promoting.winner ? t('scripts.promoteWinnerText', { n: promoting.variant }) : t('scripts.promoteManualText', { n: promoting.variant })}
          confirm={t('scripts.promote')}
          confirmTestid="promote-confirm"
          safe={promoting.winner}
          onClose={() => setPromoting(null)}
          action={async () => {
            await promote(id, promoting.variant);
            setPromoting(null);
            toast(t('scripts.promoted', { n: promoting.variant }), 'success');
            await load();
          }}
        />
      )}
    </section>
  );
}
