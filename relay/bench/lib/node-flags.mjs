// The V8 flags the relay is deployed with (relay/node-flags.json): the
// benchmark measures the relay as it runs in production.
import { readFileSync } from 'node:fs';

export const RELAY_NODE_FLAGS = JSON.parse(readFileSync(new URL('../../node-flags.json', import.meta.url), 'utf8')).flags;
