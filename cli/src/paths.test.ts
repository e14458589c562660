// XDG paths of the history and the settings.
import { describe, expect, it } from 'vitest';
import { configPath, historyPath } from './paths.js';

describe('paths', () => {
  it('follow XDG, and ignore relative values as the spec says', () => {
    expect(historyPath({ XDG_STATE_HOME: '/s', HOME: '/h' })).toBe('/s/psst/history.json');
    expect(historyPath({ HOME: '/h' })).toBe('/h/.local/state/psst/history.json');
    expect(historyPath({ XDG_STATE_HOME: 'relative', HOME: '/h' })).toBe('/h/.local/state/psst/history.json');
    expect(configPath({ XDG_CONFIG_HOME: '/c', HOME: '/h' })).toBe('/c/psst/config.json');
    expect(configPath({ HOME: '/h' })).toBe('/h/.config/psst/config.json');
  });
});
