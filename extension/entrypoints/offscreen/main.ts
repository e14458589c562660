// Chrome's offscreen document: reads and writes the clipboard for the service
// worker, which has no DOM. Answers only messages addressed to it.
import { browser } from 'wxt/browser';
import { isOffscreenRequest, runClipboardRequest } from '../../lib/clipboard';

browser.runtime.onMessage.addListener((message, _sender, sendResponse) => {
  if (!isOffscreenRequest(message)) return undefined;
  sendResponse(runClipboardRequest(document, message));
  return undefined;
});
