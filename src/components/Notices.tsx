// The banner for problems found in a link, a saved or imported config, or refused by the trainer.
// Plain text only: messages quote user input, and React escapes it (never innerHTML).
import { noticeText } from '../config/schema';
import { dismissNotices } from '../state/actions';
import { useStore } from '../state/store';

const HEADINGS = {
  link: 'This link had problems; those fields use their defaults:',
  saved: 'The saved settings had problems; those fields use their defaults:',
  file: 'The imported config had problems; those fields use their defaults:',
  trainer: 'The trainer refused this configuration:',
};

export function Notices() {
  const notices = useStore((s) => s.notices);
  const source = useStore((s) => s.noticeSource);
  const event = useStore((s) => s.run.event);
  if (notices.length === 0 && !event) return null;
  return (
    <div className={`notices${source === 'trainer' ? ' error' : ''}`} role="alert" data-testid="notices">
      <div className="grow">
        {notices.length > 0 && (
          <>
            <strong>{HEADINGS[source ?? 'link']}</strong>
            <ul>
              {notices.slice(0, 8).map((n) => (
                <li key={noticeText(n)}>{noticeText(n)}</li>
              ))}
              {notices.length > 8 && <li>… and {notices.length - 8} more</li>}
            </ul>
          </>
        )}
        {event && <div>{event}</div>}
      </div>
      {notices.length > 0 && (
        <button type="button" className="btn small" onClick={dismissNotices}>
          Dismiss
        </button>
      )}
    </div>
  );
}
