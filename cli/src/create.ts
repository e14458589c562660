// `psst [create] [FILE]`: reads the secret, checks it against the relay's
// settings before encrypting, creates the link (createLink of @psst/client),
// remembers its manage token, prints the link (or copies it).
import { type CreatePhase, createLink, type SecretInput } from '@psst/client/create-link';
import { describeCreated } from '@psst/client/format';
import { entryFromCreate } from '@psst/client/history';
import { loadRelayConfig } from '@psst/client/relay-client';
import { copyWith, findClipboardTool } from './clipboard.js';
import { resolveRelay } from './config-file.js';
import { parseTtl, parseViews } from './duration.js';
import { CliError, EXIT } from './exit-codes.js';
import { rememberEntry } from './history-file.js';
import { classifyInput, InputTooLargeError, readSecretInput } from './input.js';
import { askNewPassphrase, readPassphraseFile } from './passphrase.js';
import { endProgress, progress, say } from './ui.js';
import { creationDisabled, relayFailure } from './words.js';

export interface CreateOptions {
  ttl: string;
  views: string;
  passphrase?: boolean;
  passphraseFile?: string;
  relay?: string;
  file?: boolean;
  fileName?: string;
  label?: string;
  copy?: boolean;
  json?: boolean;
}

const PHASE_WORDS: Record<CreatePhase, string> = {
  deriving: 'Deriving the key from the passphrase…',
  encrypting: 'Encrypting…',
  proving: 'Solving the relay’s anti-spam check (proof of work)…',
  uploading: 'Sending to the relay…',
};

export async function runCreate(file: string | undefined, options: CreateOptions): Promise<void> {
  const relayUrl = resolveRelay(options.relay);
  const ttl = parseTtl(options.ttl);
  const views = parseViews(options.views);
  const clipboard = options.copy ? findClipboardTool() : undefined;

  const { config } = await loadRelayConfig(fetch, relayUrl).catch((error: unknown) => {
    throw relayFailure(error);
  });
  // Known before the input is read or a passphrase asked for (createLink would refuse it too, later).
  if (!config.createEnabled) throw creationDisabled();

  let secret: SecretInput;
  try {
    // The envelope is never smaller than the body: reading past the relay's limit is pointless.
    const raw = await readSecretInput(file, config.maxEnvelopeBytes);
    secret = classifyInput(raw, {
      forceFile: options.file === true,
      ...(options.fileName !== undefined ? { fileName: options.fileName } : {}),
    });
  } catch (error) {
    if (error instanceof InputTooLargeError)
      throw new CliError(
        EXIT.refused,
        'too_large',
        `The input is too large for this relay: it accepts envelopes of at most ${config.maxEnvelopeBytes} bytes.`,
        {
          limitBytes: config.maxEnvelopeBytes,
        },
      );
    throw error;
  }
  const passphrase =
    options.passphraseFile !== undefined
      ? readPassphraseFile(options.passphraseFile)
      : options.passphrase
        ? await askNewPassphrase()
        : undefined;

  let result: Awaited<ReturnType<typeof createLink>>;
  try {
    result = await createLink(fetch, {
      relayUrl,
      secret,
      ttl,
      views,
      ...(passphrase !== undefined ? { passphrase } : {}),
      config,
      onPhase: (phase, fraction) => progress(PHASE_WORDS[phase], fraction),
    });
  } catch (error) {
    throw relayFailure(error);
  } finally {
    endProgress();
  }
  const { link, created } = result;

  // The link exists now: whatever fails below must not lose it.
  try {
    rememberEntry(entryFromCreate(relayUrl, created, { views, ...(options.label ? { label: options.label } : {}) }, new Date()));
  } catch (error) {
    say(`Warning: the link was created but not remembered (psst status and revoke will not know it): ${(error as Error).message}`);
  }

  if (options.json) {
    const { id, manageToken, expiresAt } = created;
    process.stdout.write(`${JSON.stringify({ link, id, relay: relayUrl, expiresAt, views, manageToken, type: secret.type })}\n`);
  }
  if (clipboard) {
    try {
      await copyWith(clipboard, link);
    } catch (error) {
      // Not copied: print it rather than lose it.
      if (!options.json) process.stdout.write(`${link}\n`);
      throw error;
    }
  } else if (!options.json) {
    process.stdout.write(`${link}\n`);
  }
  if (process.stderr.isTTY || clipboard) say(describeCreated(views, ttl, clipboard !== undefined));
}
