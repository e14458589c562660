// What a text secret looks like on a terminal.
import { describe, expect, it } from 'vitest';
import { forTerminal } from './open.js';

describe('forTerminal', () => {
  it('shows control characters as \\xNN but keeps newlines, tabs and CRLF', () => {
    expect(forTerminal('a\tb\r\nc\n')).toEqual({ text: 'a\tb\r\nc\n', changed: false });
    expect(forTerminal('\u001b[2J\u0007x\ry\u009b')).toEqual({ text: '\\x1b[2J\\x07x\\x0dy\\x9b', changed: true });
  });
});
