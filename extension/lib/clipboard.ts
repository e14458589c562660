// Clipboard access for the background. Firefox's background page has
// navigator.clipboard; Chrome's MV3 service worker has no DOM, so it asks an
// offscreen document (entrypoints/offscreen) to do the work.
import { ClipboardError } from './errors';

export interface ClipboardAccess {
  readText(): Promise<string>;
  writeText(text: string): Promise<void>;
}

export function navigatorClipboard(clipboard: Pick<Clipboard, 'readText' | 'writeText'>): ClipboardAccess {
  return {
    async readText() {
      try {
        return await clipboard.readText();
      } catch (cause) {
        throw new ClipboardError('read', { cause });
      }
    },
    async writeText(text) {
      try {
        await clipboard.writeText(text);
      } catch (cause) {
        throw new ClipboardError('write', { cause });
      }
    },
  };
}

export const OFFSCREEN_TARGET = 'psst-offscreen';
export type OffscreenRequest =
  | { target: typeof OFFSCREEN_TARGET; op: 'read' }
  | { target: typeof OFFSCREEN_TARGET; op: 'write'; text: string };
export type OffscreenReply = { ok: true; text?: string } | { ok: false };

export function isOffscreenRequest(message: unknown): message is OffscreenRequest {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return m.target === OFFSCREEN_TARGET && (m.op === 'read' || (m.op === 'write' && typeof m.text === 'string'));
}

function isReply(value: unknown): value is OffscreenReply {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

export interface OffscreenApis {
  offscreen: {
    createDocument(parameters: { url: string; reasons: ['CLIPBOARD']; justification: string }): Promise<void>;
  };
  runtime: {
    getURL(path: string): string;
    getContexts(filter: { contextTypes: ['OFFSCREEN_DOCUMENT']; documentUrls: string[] }): Promise<unknown[]>;
    sendMessage(message: OffscreenRequest): Promise<unknown>;
  };
}

export function offscreenClipboard(apis: OffscreenApis, path = '/offscreen.html'): ClipboardAccess {
  let creating: Promise<void> | null = null;
  async function ensureDocument(): Promise<void> {
    const url = apis.runtime.getURL(path);
    const existing = await apis.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [url] });
    if (existing.length > 0) return;
    // Two shares at once must not both create it: the second would throw.
    creating ??= apis.offscreen
      .createDocument({ url, reasons: ['CLIPBOARD'], justification: 'Read the clipboard to share it, and copy the new link.' })
      .finally(() => {
        creating = null;
      });
    await creating;
  }
  async function ask(request: OffscreenRequest): Promise<OffscreenReply> {
    try {
      await ensureDocument();
      const reply = await apis.runtime.sendMessage(request);
      return isReply(reply) ? reply : { ok: false };
    } catch {
      return { ok: false };
    }
  }
  return {
    async readText() {
      const reply = await ask({ target: OFFSCREEN_TARGET, op: 'read' });
      if (!reply.ok) throw new ClipboardError('read');
      return reply.text ?? '';
    },
    async writeText(text) {
      const reply = await ask({ target: OFFSCREEN_TARGET, op: 'write', text });
      if (!reply.ok) throw new ClipboardError('write');
    },
  };
}

/**
 * The offscreen document's side: a textarea and execCommand, which work in an
 * unfocused document where navigator.clipboard does not.
 */
export function runClipboardRequest(doc: Document, request: OffscreenRequest): OffscreenReply {
  const area = doc.createElement('textarea');
  doc.body.append(area);
  try {
    if (request.op === 'write') {
      area.value = request.text;
      area.select();
      return { ok: doc.execCommand('copy') };
    }
    area.focus();
    const ok = doc.execCommand('paste');
    return ok ? { ok: true, text: area.value } : { ok: false };
  } finally {
    area.value = '';
    area.remove();
  }
}
