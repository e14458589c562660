// Reading the selection exactly as selected. Chrome's contextMenus selectionText
// collapses whitespace, so the text is read from the frame itself; pages that
// forbid scripting (browser pages, the web store) fall back to selectionText.

/**
 * Runs inside the page (serialised by scripting.executeScript: it must not
 * use anything from outside its body). Text fields keep their selection in the
 * control, not in the document selection.
 */
export function readSelectionInPage(): string {
  const active = document.activeElement;
  if (active instanceof HTMLTextAreaElement || (active instanceof HTMLInputElement && active.type === 'text')) {
    const { selectionStart, selectionEnd, value } = active;
    if (selectionStart !== null && selectionEnd !== null && selectionEnd > selectionStart) return value.slice(selectionStart, selectionEnd);
  }
  return window.getSelection()?.toString() ?? '';
}

export interface ScriptingLike {
  executeScript(injection: { target: { tabId: number; frameIds?: number[] }; func: () => string }): Promise<{ result?: unknown }[]>;
}

export interface SelectionResult {
  text: string;
  /** False when the fallback was used: line breaks and indentation may be lost. */
  exact: boolean;
}

export async function readSelection(
  scripting: ScriptingLike,
  tabId: number | undefined,
  frameId: number | undefined,
  selectionText: string | undefined,
): Promise<SelectionResult> {
  if (tabId !== undefined && tabId >= 0) {
    try {
      const [first] = await scripting.executeScript({
        target: { tabId, frameIds: [frameId ?? 0] },
        func: readSelectionInPage,
      });
      if (typeof first?.result === 'string' && first.result !== '') return { text: first.result, exact: true };
    } catch {
      // scripting is forbidden on this page: use what the menu gave us
    }
  }
  return { text: selectionText ?? '', exact: false };
}
