// A failure in words, as every creating host shows it: announced, and focused
// when `focus` is set (a failure of something the user just did), so keyboard
// users land on it instead of on the button that was disabled while working.
import { t } from '@psst/i18n';
import { useEffect, useRef } from 'preact/hooks';
import type { FailureWords } from './failure-words';

export function ProblemNotice({ words, focus, onOpenOptions }: { words: FailureWords; focus: boolean; onOpenOptions?: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  // Keyed on the words, not the object: a host that rebuilds the same words on every render does not steal focus.
  useEffect(() => {
    if (focus) box.current?.focus();
  }, [focus, words.title, words.message]);
  return (
    <div class="problem" role="alert" tabIndex={-1} ref={box}>
      <strong>{words.title}</strong>
      <p>{words.message}</p>
      {words.openOptions && onOpenOptions && (
        <button type="button" class="secondary" onClick={onOpenOptions}>
          {t('problem.openOptions')}
        </button>
      )}
    </div>
  );
}
