// The extension's own failures. Each one is turned into words in one place:
// describe-failure.ts.

/** The extension holds no host permission for the relay's origin. */
export class NoHostPermissionError extends Error {
  override name = 'NoHostPermissionError';
  constructor(readonly relayUrl: string) {
    super(`no host permission for ${relayUrl}`);
  }
}

/** There was nothing to share: an empty selection or clipboard. */
export class NothingToShareError extends Error {
  override name = 'NothingToShareError';
  constructor(readonly source: 'selection' | 'clipboard' | 'composer') {
    super(`nothing to share from the ${source}`);
  }
}

export class ClipboardError extends Error {
  override name = 'ClipboardError';
  constructor(
    readonly operation: 'read' | 'write',
    options?: ErrorOptions,
  ) {
    super(`could not ${operation} the clipboard`, options);
  }
}
