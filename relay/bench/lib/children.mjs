// Child processes of the benchmark: tracked (most pinned to a core with taskset)
// and all killed when the benchmark exits for any reason (error included).
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

const children = new Set();

function killAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  children.clear();
}

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** Spawns `command args` pinned to `core` (a taskset cpu list) and tracks it (options: as spawnTracked's). */
export function spawnPinned(core, command, args, options = {}) {
  return spawnTracked('taskset', ['-c', String(core), command, ...args], options);
}

/**
 * Spawns `command args` and tracks it (killed when the benchmark exits), its output readable with childOutput.
 * With `logFile`, stdout and stderr go to that file (the relay logs a line per
 * request: a pipe would make the benchmark read them on the measured cores).
 */
export function spawnTracked(command, args, { logFile, env, ...options } = {}) {
  const fd = logFile ? openSync(logFile, 'a') : undefined;
  const child = spawn(command, args, {
    stdio: fd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', fd, fd],
    ...options,
    env: { ...process.env, ...env },
  });
  if (fd !== undefined) closeSync(fd);
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.logFile = logFile;
  child.stdoutText = '';
  child.stderrText = '';
  // Either may be inherited instead (options.stdio).
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (chunk) => {
    child.stdoutText = (child.stdoutText + chunk).slice(-65_536);
  });
  child.stderr?.on('data', (chunk) => {
    child.stderrText = (child.stderrText + chunk).slice(-65_536);
  });
  return child;
}

/** The child's output so far (its log file, or the captured tail). */
export function childOutput(child) {
  if (child.logFile) {
    try {
      return readFileSync(child.logFile, 'utf8').slice(-65_536);
    } catch {
      return '';
    }
  }
  return `${child.stdoutText}\n${child.stderrText}`;
}

/** Runs a pinned child to completion (bounded by timeoutMs) and returns its stdout. */
export function runPinned(core, command, args, { timeoutMs, ...options } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawnPinned(core, command, args, options);
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${command} exited with ${code ?? signal}: ${childOutput(child).slice(-2000)}`));
    });
  });
}

function findListening(text) {
  for (const line of text.split('\n')) {
    if (!line.includes('listening')) continue;
    try {
      const parsed = JSON.parse(line);
      if (parsed && (parsed.event === 'listening' || parsed.msg === 'listening')) return parsed;
    } catch {
      // not JSON
    }
  }
  return undefined;
}

/** Waits (polling) for a JSON log line whose event or msg is "listening" and returns it parsed. */
export async function waitForListening(child, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = findListening(childOutput(child));
    if (found) return found;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited with ${child.exitCode ?? child.signalCode} before listening:\n${childOutput(child)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no "listening" line within ${timeoutMs} ms:\n${childOutput(child)}`);
}

/** Sends SIGTERM, waits up to timeoutMs, then SIGKILL. */
export function stopChild(child, timeoutMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

const CLOCK_TICKS = 100; // getconf CLK_TCK on Linux x86-64 and arm64

/** CPU seconds (user + system) and memory of a live process, from /proc. */
export function readProc(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  // RssAnon is the process's own memory; the rest of VmRSS is mapped files (node itself, libnode, ICU data), shared and reclaimable.
  return { cpuSeconds, rssBytes: kib('VmRSS') * 1024, anonRssBytes: kib('RssAnon') * 1024, peakRssBytes: kib('VmHWM') * 1024 };
}
