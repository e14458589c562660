// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { readSelection, readSelectionInPage, type ScriptingLike } from './selection';

function scripting(result: () => unknown): ScriptingLike & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    async executeScript(injection) {
      calls.push(injection.target);
      return [{ result: result() }];
    },
  };
}

describe('readSelection', () => {
  it('reads the selection from the clicked frame', async () => {
    const s = scripting(() => 'a\n  b');
    expect(await readSelection(s, 7, 3, 'a b')).toEqual({ text: 'a\n  b', exact: true });
    expect(s.calls).toEqual([{ tabId: 7, frameIds: [3] }]);
  });

  it('falls back to the menu text where scripting is forbidden', async () => {
    const s: ScriptingLike = {
      executeScript: async () => {
        throw new Error('Cannot access a chrome:// URL');
      },
    };
    expect(await readSelection(s, 7, 0, 'a b')).toEqual({ text: 'a b', exact: false });
  });

  it('falls back when there is no tab or the frame sees no selection', async () => {
    expect(
      await readSelection(
        scripting(() => 'x'),
        undefined,
        0,
        'y',
      ),
    ).toEqual({ text: 'y', exact: false });
    expect(
      await readSelection(
        scripting(() => ''),
        1,
        0,
        'y',
      ),
    ).toEqual({ text: 'y', exact: false });
  });
});

describe('readSelectionInPage', () => {
  it('reads the selected part of a focused text area, whitespace intact', () => {
    document.body.innerHTML = '<textarea id="t"></textarea>';
    const area = document.getElementById('t') as HTMLTextAreaElement;
    area.value = 'keep\n    this\tindent';
    area.focus();
    area.setSelectionRange(0, area.value.length);
    expect(readSelectionInPage()).toBe('keep\n    this\tindent');
  });

  it('reads the document selection otherwise', () => {
    document.body.innerHTML = '<p id="p">hello world</p>';
    const range = document.createRange();
    range.selectNodeContents(document.getElementById('p')!);
    window.getSelection()!.removeAllRanges();
    window.getSelection()!.addRange(range);
    expect(readSelectionInPage()).toBe('hello world');
  });
});
