import { describe, expect, it } from 'vitest';
import { type Progress, reportProgress } from './Composer';
import type { ComposerValues } from './secret-input';

function values(passphrase: string): ComposerValues {
  return { secret: { type: 'text', text: 's' }, ttl: 3600, views: 1, passphrase, label: '' };
}

describe('reportProgress', () => {
  it('shows the first phase at once, then each phase and each whole percent of the derivation only once', () => {
    const shown: Progress[] = [];
    const onPhase = reportProgress(values('correct horse'), (p) => shown.push(p));
    expect(shown).toEqual([{ phase: 'deriving', fraction: 0 }]);
    onPhase('deriving', 0.001);
    onPhase('deriving', 0.004);
    onPhase('deriving', 0.011);
    onPhase('encrypting');
    onPhase('uploading');
    expect(shown).toEqual([
      { phase: 'deriving', fraction: 0 },
      { phase: 'deriving', fraction: 0.001 },
      { phase: 'deriving', fraction: 0.011 },
      { phase: 'encrypting', fraction: undefined },
      { phase: 'uploading', fraction: undefined },
    ]);
  });

  it('shows each whole percent of a proof of work once, like the derivation', () => {
    const shown: Progress[] = [];
    const onPhase = reportProgress(values(''), (p) => shown.push(p));
    onPhase('encrypting');
    onPhase('proving', 0);
    onPhase('proving', 0.002);
    onPhase('proving', 0.5);
    onPhase('proving', 0.503);
    onPhase('proving', 1);
    onPhase('uploading');
    expect(shown.map((p) => p && [p.phase, p.fraction])).toEqual([
      ['encrypting', 0],
      ['encrypting', undefined],
      ['proving', 0],
      ['proving', 0.5],
      ['proving', 1],
      ['uploading', undefined],
    ]);
  });

  it('starts at encrypting when there is no passphrase', () => {
    const shown: Progress[] = [];
    reportProgress(values(''), (p) => shown.push(p));
    expect(shown).toEqual([{ phase: 'encrypting', fraction: 0 }]);
  });
});
