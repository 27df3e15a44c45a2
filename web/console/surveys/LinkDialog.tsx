// "Get link": a new survey link (POST /surveys/:id/links) for one customer — a
// contact's number (optional: the answer is then theirs) and how many days it stays
// open (1–365, 30 by default). The link is shown whole with Copy: each link takes
// one answer, so each customer gets their own.
import { useState } from 'preact/hooks';
import { fmtDate, t } from '../i18n';
import { errorText } from '../store';
import { ErrorNotice, FieldError, useSubmit } from '../components/Common';
import { Dialog } from '../components/ConvRoutingActions';
import { useCopied } from '../admin/EmbedSnippet';
import { IconExternal } from '../components/Icons';
import { createLink, fieldErrors, LIMITS, type Survey, type SurveyLink } from './surveysApi';

/**
 * `survey`: the survey the link opens; or `choices` (the active surveys) to pick it from, with
 * `contactId` given (the contact page's "Survey link").
 */
export function LinkDialog({ survey: fixed, choices, contactId, onClose }: { survey?: Pick<Survey, 'id' | 'name'>; choices?: Survey[]; contactId?: number; onClose: () => void }) {
  const [picked, setPicked] = useState<number | null>(fixed?.id ?? choices?.[0]?.id ?? null);
  const survey = fixed ?? choices?.find((s) => s.id === picked) ?? null;
  const [contact, setContact] = useState(contactId != null ? String(contactId) : '');
  const [days, setDays] = useState('30');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [link, setLink] = useState<SurveyLink | null>(null);
  const { copied, copy } = useCopied();
  const { busy, error, run } = useSubmit((err) => (Object.keys(fieldErrors(err)).length ? null : errorText(err)));
  const full = link ? location.origin + link.url : '';

  async function submit(e: Event) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    const c = contact.trim();
    if (c && !/^[1-9]\d{0,15}$/.test(c)) problems.contact_id = t('sv.errContact');
    const n = Number(days);
    if (!Number.isInteger(n) || n < 1 || n > LIMITS.linkDaysMax) problems.expires_in_days = t('sv.errDays', { max: LIMITS.linkDaysMax });
    setErrors(problems);
    if (Object.keys(problems).length || !survey) return;
    await run(async () => {
      try {
        const l = await createLink(survey.id, { ...(c ? { contact_id: Number(c) } : {}), expires_in_days: n });
        setLink(l);
        requestAnimationFrame(() => {
          const el = document.getElementById('sv-link-url') as HTMLInputElement | null;
          el?.focus();
          el?.select();
        });
      } catch (err) {
        const f = fieldErrors(err);
        if (f.contact_id) f.contact_id = t('sv.errNoContact');
        if (f.expires_in_days) f.expires_in_days = t('sv.errDays', { max: LIMITS.linkDaysMax });
        setErrors(f);
        throw err;
      }
    });
  }

  return (
    <Dialog title={fixed ? t('sv.linkTitle', { name: fixed.name }) : t('sv.linkTitleContact')} onClose={onClose} testid="sv-link-dialog">
      {link ? (
        <div class="desk-form sv-link-result">
          <label class="field">
            <span class="field-label">{t('sv.linkLabel')}</span>
            <span class="sv-link-row">
              <input id="sv-link-url" type="text" class="mono" readOnly value={full} onFocus={(e) => e.currentTarget.select()} data-testid="sv-link-url" />
              <button type="button" class={'btn ' + (copied ? 'btn-success' : 'btn-primary')} onClick={() => copy(full)} data-autofocus data-testid="sv-link-copy">
                {copied ? t('common.copied') : t('common.copy')}
              </button>
            </span>
            <span class="field-hint" data-testid="sv-link-expires">
              {t('sv.linkExpires', { date: fmtDate(link.expires_at) })} {contact.trim() ? t('sv.linkFor', { id: contact.trim() }) : t('sv.linkAnyone')}
            </span>
          </label>
          <span class="sr-only" role="status" aria-live="polite">
            {copied ? t('common.copied') : ''}
          </span>
          <div class="form-actions dialog-actions">
            <a class="btn btn-ghost" href={link.url} target="_blank" rel="noopener noreferrer" data-testid="sv-link-open">
              <IconExternal size={15} />
              {t('sv.linkOpen')}
            </a>
            <button
              type="button"
              class="btn btn-ghost"
              onClick={() => {
                setLink(null);
                setContact('');
              }}
              data-testid="sv-link-another"
            >
              {t('sv.linkAnother')}
            </button>
            <button type="button" class="btn btn-secondary" onClick={onClose}>
              {t('common.close')}
            </button>
          </div>
        </div>
      ) : (
        <form class="desk-form" onSubmit={submit} noValidate>
          <p class="dialog-text">{t('sv.linkIntro')}</p>
          {choices && (
            <label class="field">
              <span class="field-label">{t('nps.survey')}</span>
              <select value={picked ?? ''} onChange={(e) => setPicked(Number(e.currentTarget.value))} data-autofocus data-testid="sv-link-survey">
                {choices.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label class="field">
            <span class="field-label">{t('sv.contactId')}</span>
            <input
              type="text"
              inputMode="numeric"
              value={contact}
              placeholder={t('sv.contactPlaceholder')}
              onInput={(e) => {
                setContact(e.currentTarget.value);
                setErrors((x) => ({ ...x, contact_id: '' }));
              }}
              aria-invalid={errors.contact_id ? true : undefined}
              aria-describedby="sv-contact-hint sv-contact-err"
              data-autofocus={!choices || undefined}
              data-testid="sv-link-contact"
            />
            <span class="field-hint" id="sv-contact-hint">
              {t('sv.contactHint')}
            </span>
            <FieldError id="sv-contact-err" error={errors.contact_id} testid="sv-link-contact-error" />
          </label>
          <label class="field sv-days">
            <span class="field-label">{t('sv.expiresIn')}</span>
            <span class="sv-days-row">
              <input
                type="number"
                min={1}
                max={LIMITS.linkDaysMax}
                value={days}
                onInput={(e) => {
                  setDays(e.currentTarget.value);
                  setErrors((x) => ({ ...x, expires_in_days: '' }));
                }}
                aria-invalid={errors.expires_in_days ? true : undefined}
                aria-describedby="sv-days-err"
                data-testid="sv-link-days"
              />
              <span>{t('sv.days')}</span>
            </span>
            <FieldError id="sv-days-err" error={errors.expires_in_days} />
          </label>
          <ErrorNotice error={error} />
          <div class="form-actions dialog-actions">
            <button type="button" class="btn btn-ghost" onClick={onClose}>
              {t('common.cancel')}
            </button>
            <button type="submit" class="btn btn-primary" disabled={busy || !survey} data-testid="sv-link-create">
              {busy ? t('sv.linkCreating') : t('sv.linkCreate')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
