// Expiry and views: one pair of fields for the composer (this link) and the
// options page (the defaults of new links), so both offer the same choices
// and bounds.

import { describeDuration } from '@psst/client/format';
import { DEFAULT_MAX_VIEWS } from '@psst/protocol/limits';
import { TTL_CHOICES } from '../lib/settings';

/** A views count the relay accepts by default: a whole number from 1 to DEFAULT_MAX_VIEWS. */
export function clampViews(value: number): number {
  return Math.min(DEFAULT_MAX_VIEWS, Math.max(1, Math.round(value) || 1));
}

export interface LimitFieldsProps {
  /** Prefix of the two fields' ids ('' gives #ttl and #views). */
  idPrefix: string;
  ttlLabel: string;
  ttl: number;
  /** An expiry offered besides TTL_CHOICES, e.g. a stored default that is not among them. */
  extraChoice: number;
  views: number;
  onTtl(seconds: number): void;
  onViews(views: number): void;
  /** 'input' applies each keystroke; 'change' waits until the field is left (for settings that are saved). */
  viewsEvent: 'input' | 'change';
}

export function LimitFields({ idPrefix, ttlLabel, ttl, extraChoice, views, onTtl, onViews, viewsEvent }: LimitFieldsProps) {
  const choices = (TTL_CHOICES as readonly number[]).includes(extraChoice)
    ? TTL_CHOICES
    : [...TTL_CHOICES, extraChoice].sort((a, b) => a - b);
  const setViews = (e: { currentTarget: HTMLInputElement }) => onViews(clampViews(Number(e.currentTarget.value)));
  return (
    <div class="row fields">
      <label>
        {ttlLabel}
        <select id={`${idPrefix}ttl`} value={String(ttl)} onChange={(e) => onTtl(Number(e.currentTarget.value))}>
          {choices.map((s) => (
            <option key={s} value={String(s)}>
              {describeDuration(s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Views
        <input
          id={`${idPrefix}views`}
          type="number"
          min={1}
          max={DEFAULT_MAX_VIEWS}
          value={views}
          {...(viewsEvent === 'input' ? { onInput: setViews } : { onChange: setViews })}
        />
      </label>
    </div>
  );
}
