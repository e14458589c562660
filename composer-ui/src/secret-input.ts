// What the composer hands its host: text as typed, or a file as picked or
// dropped, read into bytes only when the link is created.
import type { SecretInput } from '@psst/client/create-link';

export type ComposedSecret = { type: 'text'; text: string } | { type: 'file'; file: File };

export interface ComposerValues {
  secret: ComposedSecret;
  ttl: number;
  views: number;
  passphrase: string;
  label: string;
}

/** The mime type sent for a file: the browser's guess, or application/octet-stream when it has none. */
export function mimeOf(file: Pick<File, 'type'>): string {
  return file.type || 'application/octet-stream';
}

export async function readSecret(secret: ComposedSecret): Promise<SecretInput> {
  if (secret.type === 'text') return secret;
  return { type: 'file', name: secret.file.name, mime: mimeOf(secret.file), bytes: new Uint8Array(await secret.file.arrayBuffer()) };
}
