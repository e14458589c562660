// Where psst keeps its files (XDG base directories): the history of links
// created here in $XDG_STATE_HOME/psst, the settings in $XDG_CONFIG_HOME/psst.
import { homedir } from 'node:os';
import { join } from 'node:path';

type Env = Record<string, string | undefined>;

function base(env: Env, variable: string, fallback: string[]): string {
  const value = env[variable];
  // The spec: a relative path is invalid and must be ignored.
  if (value?.startsWith('/')) return value;
  return join(env.HOME || homedir(), ...fallback);
}

export function historyPath(env: Env = process.env): string {
  return join(base(env, 'XDG_STATE_HOME', ['.local', 'state']), 'psst', 'history.json');
}

export function configPath(env: Env = process.env): string {
  return join(base(env, 'XDG_CONFIG_HOME', ['.config']), 'psst', 'config.json');
}
