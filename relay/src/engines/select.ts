// PSST_HTTP_ENGINE: hyper-express where uWebSockets.js loads, node:http where
// it does not (auto), or the one the operator names.
import type { App } from '../app.js';
import type { HttpEngineChoice } from '../config.js';
import type { Logger } from '../logger.js';
import { probeUws, startHyperExpressEngine } from './hyper-express.js';
import { startNodeEngine } from './node-http.js';
import type { EngineOptions, RunningEngine } from './types.js';

/** Which engine will run; decided before the app exists, because metrics and logs name it. */
export function chooseEngine(choice: HttpEngineChoice, logger: Logger): 'hyper-express' | 'node' {
  if (choice === 'node') return 'node';
  const probe = probeUws();
  if (probe.ok) return 'hyper-express';
  if (choice === 'hyper-express') throw new Error(`PSST_HTTP_ENGINE=hyper-express, but uWebSockets.js cannot run here: ${probe.reason}`);
  logger.warn('engine_fallback', { engine: 'node', reason: `uWebSockets.js cannot run here (${probe.reason}); serving with node:http` });
  return 'node';
}

export function startEngine(engine: 'hyper-express' | 'node', app: App, options: EngineOptions, logger: Logger): Promise<RunningEngine> {
  return engine === 'hyper-express' ? startHyperExpressEngine(app, options, logger) : startNodeEngine(app, options, logger);
}
