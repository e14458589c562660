// Reads the subset of the Alloy configuration syntax that ops/alloy/config.alloy
// uses (blocks, attributes, strings, numbers, lists, objects, references and
// function calls) and turns its prometheus.scrape + prometheus.relabel blocks
// into the equivalent Prometheus scrape_configs, so the smoke test scrapes
// with exactly the jobs and relabel rules that production ships.

export type AlloyValue =
  | string
  | number
  | boolean
  | null
  | AlloyValue[]
  | { [key: string]: AlloyValue }
  | { ref: string }
  | { call: string; args: AlloyValue[] };

export interface AlloyBlock {
  name: string;
  label: string | undefined;
  attrs: Record<string, AlloyValue>;
  blocks: AlloyBlock[];
}

type Token = { kind: 'ident' | 'string' | 'number' | 'punct'; text: string; value?: string | number };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) i++;
    else if (src.startsWith('//', i)) i = src.indexOf('\n', i) === -1 ? src.length : src.indexOf('\n', i);
    else if (src.startsWith('/*', i)) i = src.indexOf('*/', i) + 2;
    else if (c === '"') {
      let j = i + 1;
      while (src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      const text = src.slice(i, j + 1);
      tokens.push({ kind: 'string', text, value: JSON.parse(text) as string });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9.]+/.exec(src.slice(i))![0];
      tokens.push({ kind: 'number', text: m, value: Number(m) });
      i += m.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i))![0];
      tokens.push({ kind: 'ident', text: m });
      i += m.length;
    } else if ('{}[]()=,:'.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else throw new Error(`config.alloy: unexpected character ${JSON.stringify(c)} at offset ${i}`);
  }
  return tokens;
}

export function parseAlloy(src: string): AlloyBlock[] {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (o = 0) => tokens[pos + o];
  const next = () => {
    const t = tokens[pos++];
    if (!t) throw new Error('config.alloy: unexpected end of file');
    return t;
  };
  const expect = (text: string) => {
    const t = next();
    if (t.text !== text) throw new Error(`config.alloy: expected ${text}, got ${t.text}`);
  };

  function value(): AlloyValue {
    const t = next();
    if (t.kind === 'string' || t.kind === 'number') return t.value!;
    if (t.text === '[') {
      const items: AlloyValue[] = [];
      while (peek()?.text !== ']') {
        items.push(value());
        if (peek()?.text === ',') next();
      }
      next();
      return items;
    }
    if (t.text === '{') {
      const obj: Record<string, AlloyValue> = {};
      while (peek()?.text !== '}') {
        const key = next();
        next(); // '=' or ':'
        obj[key.kind === 'string' ? (key.value as string) : key.text] = value();
        if (peek()?.text === ',') next();
      }
      next();
      return obj;
    }
    if (t.kind === 'ident') {
      if (t.text === 'true' || t.text === 'false') return t.text === 'true';
      if (t.text === 'null') return null;
      if (peek()?.text === '(') {
        next();
        const args: AlloyValue[] = [];
        while (peek()?.text !== ')') {
          args.push(value());
          if (peek()?.text === ',') next();
        }
        next();
        return { call: t.text, args };
      }
      return { ref: t.text };
    }
    throw new Error(`config.alloy: unexpected ${t.text}`);
  }

  function body(end: string | undefined): AlloyBlock['attrs'] & { __blocks: AlloyBlock[] } {
    const attrs: Record<string, AlloyValue> = {};
    const blocks: AlloyBlock[] = [];
    while (pos < tokens.length && peek()?.text !== end) {
      const name = next();
      if (name.kind !== 'ident') throw new Error(`config.alloy: expected a name, got ${name.text}`);
      if (peek()?.text === '=') {
        next();
        attrs[name.text] = value();
        continue;
      }
      const label = peek()?.kind === 'string' ? (next().value as string) : undefined;
      expect('{');
      const inner = body('}');
      expect('}');
      const { __blocks, ...innerAttrs } = inner;
      blocks.push({ name: name.text, label, attrs: innerAttrs, blocks: __blocks });
    }
    return Object.assign(attrs, { __blocks: blocks });
  }

  return body(undefined).__blocks;
}

const relabelFields = ['source_labels', 'separator', 'regex', 'modulus', 'target_label', 'replacement', 'action'] as const;

export interface ScrapeOverrides {
  /** job name -> host:port the test's process listens on */
  targets: Record<string, string>;
  scrapeInterval: string;
  scrapeTimeout: string;
  instance: string;
}

/** The Prometheus scrape_configs equivalent to config.alloy's scrape and relabel blocks. */
export function toPrometheusScrapeConfigs(blocks: AlloyBlock[], overrides?: ScrapeOverrides): Record<string, unknown>[] {
  const relabels = new Map(blocks.filter((b) => b.name === 'prometheus.relabel').map((b) => [b.label, b]));
  return blocks
    .filter((b) => b.name === 'prometheus.scrape')
    .map((scrape) => {
      const job = scrape.attrs['job_name'] as string;
      const forward = (scrape.attrs['forward_to'] as { ref: string }[]).map((r) => r.ref);
      const metricRelabels = forward.flatMap((ref) => {
        const m = /^prometheus\.relabel\.([A-Za-z0-9_]+)\.receiver$/.exec(ref);
        const relabel = m ? relabels.get(m[1]) : undefined;
        if (!relabel) return [];
        return relabel.blocks
          .filter((b) => b.name === 'rule')
          .map((rule) => Object.fromEntries(relabelFields.filter((f) => f in rule.attrs).map((f) => [f, rule.attrs[f]])));
      });
      const targets = scrape.attrs['targets'] as Record<string, AlloyValue>[];
      return {
        job_name: job,
        scrape_interval: overrides?.scrapeInterval ?? scrape.attrs['scrape_interval'],
        scrape_timeout: overrides?.scrapeTimeout ?? scrape.attrs['scrape_timeout'],
        static_configs: targets.map((t) => ({
          targets: [overrides?.targets[job] ?? (t['__address__'] as string)],
          labels: { instance: overrides?.instance ?? 'localhost' },
        })),
        metric_relabel_configs: metricRelabels,
      };
    });
}
