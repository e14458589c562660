// The `psst` command line: commands, options, help with examples, exit codes.
// commander parses; each command's work lives in its own module.
import { existsSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import { CONFIG_KEYS, checkRelayUrl, loadConfig, saveConfig } from './config-file.js';
import { type CreateOptions, runCreate } from './create.js';
import { CliError, EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { runList, runRevoke, runStatus } from './manage.js';
import { type OpenOptions, runOpen } from './open.js';
import { configPath, historyPath } from './paths.js';
import { reportError } from './ui.js';

const examples = (lines: string[]): string => `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;

function buildProgram(): Command {
  const program = new Command('psst')
    .description('One-time links for secrets, end-to-end encrypted: the key stays in the link, the relay sees only ciphertext.')
    .version(pkg.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(psst --help shows every command)')
    .addHelpText(
      'after',
      `${examples([
        'kubectl get secret db -o jsonpath="{.data.password}" | base64 -d | psst --ttl 15m',
        'psst --passphrase report.pdf          # asks for a passphrase twice, without echo',
        'psst open                             # paste the link without leaving it in shell history',
        'psst status                           # was my last link opened?',
        'psst revoke Xk3…                      # delete it before it is read',
      ])}\n${EXIT_CODES_HELP}\n\nFiles: ${historyPath()} (history, mode 0600), ${configPath()} (settings).\n`,
    );

  program
    .command('create [file]', { isDefault: true })
    .description('share FILE, standard input, or a line typed without echo; prints the link')
    .option('-t, --ttl <duration>', 'expiry: 90s, 15m, 1h, 7d (at most what the relay allows)', '1h')
    .option('-n, --views <n>', 'how many times the link opens', '1')
    .option('-p, --passphrase', 'protect it with a passphrase, asked twice without echo (never on the command line)')
    .option('--passphrase-file <file>', 'read the passphrase from a file (one trailing newline is dropped)')
    .option('-r, --relay <url>', 'the relay (else `psst config set relay`, else $PSST_RELAY)')
    .option('-f, --file', 'send as a file even if it is valid UTF-8 text')
    .option('--file-name <name>', 'the file name the recipient sees (implies --file)')
    .option('-l, --label <text>', 'a note for your history (psst list); not sent to the relay')
    .option('-c, --copy', 'put the link on the clipboard instead of printing it (wl-copy, xclip, xsel or pbcopy)')
    .option('--json', 'print {link, id, relay, expiresAt, views, manageToken, type}; errors as one JSON line on stderr')
    .addHelpText(
      'after',
      examples([
        'echo "hunter2" | psst',
        'psst --ttl 7d --views 3 notes.txt',
        'psst --file-name db.dump --ttl 1h < /tmp/db.dump',
        'psst --passphrase-file ./pass.txt --json < token.txt | jq -r .link',
        'psst create open              # a FILE named like a command',
      ]),
    )
    .action((file: string | undefined, options: CreateOptions) => runCreate(file, options));

  program
    .command('open [link]')
    .description('look at a link (consumes nothing), ask, then reveal the secret to stdout or --out')
    .option('-y, --yes', 'reveal without asking')
    .option('-o, --out <path>', 'write the secret to this file (or into this folder, under its cleaned name)')
    .option('--force', 'let --out replace an existing file')
    .option('--passphrase-file <file>', 'read the passphrase from a file instead of asking')
    .option('--json', 'print {type, text | name, mime, size, base64 | savedTo}; errors as one JSON line on stderr')
    .addHelpText(
      'after',
      examples([
        'psst open                                # asks for the link without echo',
        'printf "%s" "$LINK" | psst open --yes > token.txt',
        'printf "%s" "$LINK" | psst open --out ~/Downloads/   # a file secret, under its own (cleaned) name',
        'printf "%s" "$LINK" | psst open --yes --passphrase-file pass.txt',
        'psst open "$LINK"                        # works, but ps shows the link (and its key) meanwhile',
      ]),
    )
    .action((link: string | undefined, options: OpenOptions) => runOpen(link, options));

  program
    .command('status [id-or-link]')
    .description('ask the relay whether a link created here was opened (default: the newest)')
    .option('--json', 'print the history entry (without its manage token) and the receipt')
    .addHelpText('after', examples(['psst status', 'psst status Xk3bQ…', 'psst status --json | jq .receipt.state']))
    .action((id: string | undefined, options: { json?: boolean }) => runStatus(id, options));

  program
    .command('revoke <id-or-link>')
    .description('delete a link created here, so it never opens')
    .option('--json', 'print {id, deleted}')
    .addHelpText('after', examples(['psst revoke Xk3bQ…', 'psst revoke "$(psst list --json | jq -r ".[0].id")"']))
    .action((id: string, options: { json?: boolean }) => runRevoke(id, options));

  program
    .command('list')
    .description('the links created on this computer, newest first, with their last known state')
    .option('--json', 'print the entries (without manage tokens)')
    .addHelpText('after', examples(['psst list', 'psst list --json | jq ".[] | select(.state == \\"waiting\\")"']))
    .action((options: { json?: boolean }) => runList(options));

  const config = program
    .command('config')
    .description(`read or change the settings in ${configPath()}`)
    .addHelpText('after', examples(['psst config set relay https://psst.example.org', 'psst config get relay', 'psst config unset relay']));
  const checkKey = (name: string): 'relay' => {
    if (name !== 'relay')
      throw new CliError(EXIT.usage, 'unknown_setting', `Unknown setting ${name}: the settings are ${CONFIG_KEYS.join(', ')}.`);
    return name;
  };
  config
    .command('get')
    .description('print a setting')
    .argument('<key>', `the setting: ${CONFIG_KEYS.join(', ')}`)
    .addHelpText('after', examples(['psst config get relay']))
    .action((name: string) => {
      const value = loadConfig()[checkKey(name)];
      if (value === undefined) throw new CliError(EXIT.gone, 'not_set', `${name} is not set.`);
      process.stdout.write(`${value}\n`);
    });
  config
    .command('set')
    .description('change a setting')
    .argument('<key>', `the setting: ${CONFIG_KEYS.join(', ')}`)
    .argument('<value>', 'its value')
    .addHelpText('after', examples(['psst config set relay https://psst.example.org']))
    .action((name: string, value: string) => {
      saveConfig({ ...loadConfig(), [checkKey(name)]: checkRelayUrl(value, 'the value') });
    });
  config
    .command('unset')
    .description('remove a setting')
    .argument('<key>', `the setting: ${CONFIG_KEYS.join(', ')}`)
    .addHelpText('after', examples(['psst config unset relay   # then --relay or $PSST_RELAY']))
    .action((name: string) => {
      const { [checkKey(name)]: _removed, ...rest } = loadConfig();
      saveConfig(rest);
    });

  for (const command of [program, ...program.commands, ...config.commands]) command.exitOverride();
  return program;
}

/**
 * `--passphrase` takes no value. A value after it (`--passphrase=hunter2`,
 * or `--passphrase hunter2` where hunter2 is no file) is refused without
 * repeating it, so a passphrase typed there never reaches an error message.
 */
function refusePassphraseOnArgv(args: readonly string[]): void {
  const words =
    'A passphrase is never taken from the command line (it would stay in shell history and in ps): use --passphrase to be asked without echo, or --passphrase-file FILE.';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') return;
    const next = args[i + 1];
    if (
      /^--passphrase=/.test(arg) ||
      ((arg === '--passphrase' || arg === '-p') && next !== undefined && !next.startsWith('-') && !existsSync(next))
    )
      throw new CliError(EXIT.usage, 'passphrase_on_argv', words);
  }
}

/** Runs the command line; resolves with the exit code. */
export async function run(args: readonly string[]): Promise<number> {
  const json = args.includes('--json');
  let usageMessage = '';
  const program = buildProgram();
  for (const command of [program, ...program.commands, ...(program.commands.find((c) => c.name() === 'config')?.commands ?? [])]) {
    command.configureOutput({
      outputError: (text, write) => {
        usageMessage = text.replace(/^error: /, '').trim();
        if (!json) write(text);
      },
    });
  }
  try {
    refusePassphraseOnArgv(args);
    await program.parseAsync(args, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok; // --help, --version
      if (json) return reportError(new CliError(EXIT.usage, 'usage', usageMessage || error.message), true);
      return EXIT.usage;
    }
    return reportError(error, json);
  }
}
