// Expiry and views: one pair of fields for the composers (this link) and the
// extension's options page (the defaults of new links), so all offer the same
// choices, bounded by the relay's settings.
import { t } from '@psst/i18n';
import { formatDuration } from './failure-words';
import { clampViews, ttlChoicesFor } from './limits';

export interface LimitFieldsProps {
  /** Prefix of the two fields' ids ('' gives #ttl and #views). */
  idPrefix: string;
  ttlLabel: string;
  ttl: number;
  /** An expiry offered besides the usual choices, e.g. a stored default that is not among them. */
  extraChoice: number;
  views: number;
  /** The relay's maximum expiry (seconds) and views, from GET /api/config. */
  maxTtl: number;
  maxViews: number;
  onTtl(seconds: number): void;
  onViews(views: number): void;
  /** 'input' applies each keystroke; 'change' waits until the field is left (for settings that are saved). */
  viewsEvent: 'input' | 'change';
}

export function LimitFields(props: LimitFieldsProps) {
  const { idPrefix, ttlLabel, ttl, views, maxViews, viewsEvent } = props;
  const choices = ttlChoicesFor(props.maxTtl, props.extraChoice);
  const setViews = (e: { currentTarget: HTMLInputElement }) => props.onViews(clampViews(Number(e.currentTarget.value), maxViews));
  return (
    <div class="row fields">
      <label>
        {ttlLabel}
        <select id={`${idPrefix}ttl`} value={String(ttl)} onChange={(e) => props.onTtl(Number(e.currentTarget.value))}>
          {choices.map((s) => (
            <option key={s} value={String(s)}>
              {formatDuration(s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('limits.views')}
        <input
          id={`${idPrefix}views`}
          type="number"
          min={1}
          max={maxViews}
          value={views}
          aria-describedby={`${idPrefix}views-max`}
          {...(viewsEvent === 'input' ? { onInput: setViews } : { onChange: setViews })}
        />
      </label>
      <span id={`${idPrefix}views-max`} class="hint">
        {t('limits.viewsMax', { max: maxViews })}
      </span>
    </div>
  );
}
