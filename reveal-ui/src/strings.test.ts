import { describe, expect, it } from 'vitest';
import { strings } from './strings.js';

describe('strings', () => {
  it('counts views, attempts and seconds in the right number', () => {
    expect(strings.waiting.views(1)).toContain('once');
    expect(strings.waiting.views(3)).toContain('3 more times');
    expect(strings.waiting.wrongPassphrase(1)).toContain('1 attempt left');
    expect(strings.revealed.viewsLeft(1)).toContain('1 more time.');
    expect(strings.rateLimited.body(1)).toContain('1 second ');
    expect(strings.rateLimited.body(150)).toContain('about 3 minutes');
    expect(strings.rateLimited.body(60)).toContain('about 1 minute ');
  });

  it('writes whole sentences whether or not the time of a gone secret is known', () => {
    const at = new Date(Date.now() - 2 * 3_600_000);
    expect(strings.gone.read.body()).toBe(
      'It was opened and then destroyed. If that was not you, tell the sender: someone else may have seen it.',
    );
    expect(strings.gone.read.body(at)).toMatch(/^It was opened 2 hours ago \(.+\) and then destroyed\. /);
    expect(strings.gone.burned.body()).toContain('After 5 wrong passphrases');
  });
});
