// A customer's end-of-chat rating as the agents see it: the agent-only note the
// server writes (notice chat_rating {score, scale, positive, comment}) shown in
// the reader's language — the stars or thumb, the words the customer chose, and
// their comment quoted. Everything is text (JSX), never HTML.
import { t, type StringKey } from '../i18n';
import { IconThumbDown, IconThumbUp } from '../components/Icons';
import './csat.css';

/** The score as the customer gave it: ★★★ 3/3 and its words, ★★★★☆ 4/5, or a thumb. */
export function Score({ score, scale }: { score: number; scale: string }) {
  if (scale === 'thumbs') {
    return (
      <span class={'csat-score ' + (score ? 'is-up' : 'is-down')} data-testid="csat-score">
        {score ? <IconThumbUp size={16} /> : <IconThumbDown size={16} />}
        {t(score ? 'csat.up' : 'csat.down')}
      </span>
    );
  }
  const max = scale === '5' ? 5 : 3;
  const n = Math.max(0, Math.min(max, score));
  const words = scale === '3' ? t(`csat.s3_${n}` as StringKey) : '';
  return (
    <span class="csat-score" data-testid="csat-score">
      <span class="csat-stars" role="img" aria-label={t('csat.score', { score: n, max })}>
        <span aria-hidden="true">{'★'.repeat(n)}</span>
        <span class="csat-stars-off" aria-hidden="true">
          {'★'.repeat(max - n)}
        </span>
      </span>
      <span aria-hidden="true">
        {n}/{max}
      </span>
      {words && <span class="csat-words">· {words}</span>}
    </span>
  );
}

export function RatingNote({ args }: { args: Record<string, unknown> }) {
  const score = Number(args.score);
  const scale = String(args.scale ?? '3');
  const comment = typeof args.comment === 'string' ? args.comment : '';
  return (
    <div class={'rating-note' + (args.positive ? ' is-positive' : '')} data-testid="rating-note" data-score={score} data-scale={scale}>
      <div class="rating-note-head">
        <span class="rating-note-title">{t('csat.noteTitle')}:</span> <Score score={score} scale={scale} />
      </div>
      {comment && <span class="sr-only">{t('csat.commentLabel')}:</span>}
      {comment && (
        <blockquote class="rating-note-comment" data-testid="rating-note-comment">
          {comment}
        </blockquote>
      )}
    </div>
  );
}
