// Renders the Markdown report of a saved run again: node bench/render.mjs bench-results/<timestamp>.json
import { readFileSync } from 'node:fs';
import { MODES } from './lib/modes.mjs';
import { renderMarkdown } from './lib/report.mjs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/render.mjs bench-results/<timestamp>.json');
  process.exit(2);
}
process.stdout.write(renderMarkdown(JSON.parse(readFileSync(file, 'utf8')), { modes: MODES }));
