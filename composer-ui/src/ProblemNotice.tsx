// A failure in words, as every creating host shows it: announced, and focused
// when `focus` is set (a failure of something the user just did), so keyboard
// users land on it instead of on the button that was disabled while working.
import { t } from '@psst/i18n';
import { useEffect, useRef } from 'preact/hooks';
import type { FailureWords } from './failure-words';

export function ProblemNotice({
  words,
  focus,
  failure,
  onOpenOptions,
}: {
  words: FailureWords;
  focus: boolean;
  /** The failure the words are for, when the host keeps it: focus then moves only for a new failure, not when its words change language. */
  failure?: unknown;
  onOpenOptions?: () => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  // Keyed on the words (or the failure), not the words object: a host that rebuilds the same words on every render does not steal focus.
  const shown = failure ?? `${words.title}\n${words.message}`;
  useEffect(() => {
    if (focus) box.current?.focus();
  }, [focus, shown]);
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
