// The contact page's "Survey link" (supervisors and admins): a link to one of the
// active surveys whose answer is filed with this contact (LinkDialog, the survey
// picked in it). Nothing is shown while there is no active survey.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { isStaff, useStore } from '../store';
import { IconSurveys } from './IconSurveys';
import { LinkDialog } from './LinkDialog';
import { listSurveys, type Survey } from './surveysApi';

export function ContactSurveyLink({ contactId }: { contactId: number }) {
  const staff = useStore((s) => isStaff(s.me));
  const [active, setActive] = useState<Survey[]>([]);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!staff) return;
    const ctl = new AbortController();
    listSurveys(ctl.signal)
      .then((l) => setActive(l.filter((s) => s.status === 'active')))
      .catch(() => {
        /* no surveys here: no button */
      });
    return () => ctl.abort();
  }, [staff]);
  if (!staff || active.length === 0) return null;
  return (
    <>
      <button type="button" class="btn" onClick={() => setOpen(true)} data-testid="contact-survey-link">
        <IconSurveys size={16} /> {t('sv.contactButton')}
      </button>
      {open && <LinkDialog choices={active} contactId={contactId} onClose={() => setOpen(false)} />}
    </>
  );
}
