// The settings of `psst config` in $XDG_CONFIG_HOME/psst/config.json, and the
// choice of relay: --relay, else the config file, else PSST_RELAY.
import { normaliseRelayUrl, RelayUrlError } from '@psst/client/relay-url';
import { CliError, EXIT } from './exit-codes.js';
import { configPath } from './paths.js';
import { readJsonFile, writePrivateJson } from './private-file.js';

export interface CliConfig {
  relay?: string;
}

export const CONFIG_KEYS = ['relay'] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

export function loadConfig(path = configPath()): CliConfig {
  const data = readJsonFile(path);
  if (data === undefined) return {};
  if (typeof data !== 'object' || data === null)
    throw new CliError(EXIT.local, 'file_damaged', `${path} is not a psst config file: fix or remove it`);
  const relay = (data as Record<string, unknown>).relay;
  return typeof relay === 'string' ? { relay } : {};
}

export function saveConfig(config: CliConfig, path = configPath()): void {
  writePrivateJson(path, config);
}

/** The relay address, normalised; `where` names the place it came from, for the error. */
export function checkRelayUrl(value: string, where: string): string {
  try {
    return normaliseRelayUrl(value);
  } catch (error) {
    if (error instanceof RelayUrlError)
      throw new CliError(EXIT.usage, 'invalid_relay', `The relay address of ${where} is not usable: ${error.message}`);
    throw error;
  }
}

export function resolveRelay(flag: string | undefined, env: Record<string, string | undefined> = process.env): string {
  if (flag) return checkRelayUrl(flag, '--relay');
  const configured = loadConfig().relay;
  if (configured) return checkRelayUrl(configured, configPath());
  if (env.PSST_RELAY) return checkRelayUrl(env.PSST_RELAY, 'PSST_RELAY');
  throw new CliError(
    EXIT.usage,
    'no_relay',
    'No relay chosen: pass --relay https://psst.example.org, or run psst config set relay https://psst.example.org, or set PSST_RELAY.',
  );
}
