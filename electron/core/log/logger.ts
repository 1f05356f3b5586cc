import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { redactText, redactValue } from './redact';

/*
 * One logger for core and shell: pino, JSON lines in <dataDir>/logs/console.log, rotated by size
 * (LOG_FILE_BYTES × LOG_FILES at most: 2 MB × 5 = 10 MB), secrets redacted twice — fields by name
 * before pino serialises them, and the whole line (URL userinfo, tokens) before it is written.
 *
 * pino does the levels, children and JSON; the file writer is our own, synchronous, on purpose:
 * pino's file transports (pino-roll, pino/file via transport) run in a worker thread, so the lines
 * just before a crash or `app.exit` can be lost — those are the lines a support person needs. The
 * price is small: about 42 µs a line with redaction (20 000 warn lines with a camera URL, on the
 * shared 2-core build machine), and the core logs a few lines a minute, not per frame or per call.
 */

export const LOG_DIR = 'logs';
export const LOG_FILE = 'console.log';
export const LOG_FILE_BYTES = 2 * 1024 * 1024;
export const LOG_FILES = 5;
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger whose lines all carry these fields (e.g. `{ domain: 'cameras' }`). */
  child(bindings: Record<string, unknown>): Logger;
  /** Writes what is buffered; the file writer is synchronous, so this is for streams given in tests. */
  flush(): void;
  /** Closes the log file (the core's close). */
  close(): void;
}

export interface LoggerOptions {
  /** Log files go to <dataDir>/logs; without it, lines go only to `echo` (tests, tools). */
  dataDir?: string;
  /** Default: $CONSOLE_LOG_LEVEL, else info. */
  level?: LogLevel;
  /** Lines of this level and above also go to stderr, readably (the host's terminal). Default warn; null: none. */
  echo?: LogLevel | null;
  /** Where `echo` writes; default process.stderr. */
  echoTo?: { write(text: string): unknown };
  name?: string;
  maxBytes?: number;
  files?: number;
}

/** Appends lines to a file and, past maxBytes, shifts console.log → console.1.log → … → console.<files-1>.log. */
export class RotatingFile {
  private fd: number | null;
  private size: number;

  constructor(
    readonly file: string,
    private readonly maxBytes = LOG_FILE_BYTES,
    private readonly files = LOG_FILES,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'a', 0o600);
    this.size = fs.fstatSync(this.fd).size;
  }

  /** A line written after close (a camera's ffmpeg exiting as the core shuts) is dropped, never thrown. */
  write(line: string): void {
    if (this.fd === null) return;
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    fs.writeSync(this.fd!, line);
    this.size += bytes;
  }

  private rotate(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    const base = this.file.replace(/\.log$/, '');
    fs.rmSync(`${base}.${this.files - 1}.log`, { force: true });
    for (let i = this.files - 2; i >= 1; i--) {
      if (fs.existsSync(`${base}.${i}.log`)) fs.renameSync(`${base}.${i}.log`, `${base}.${i + 1}.log`);
    }
    fs.renameSync(this.file, `${base}.1.log`);
    this.fd = fs.openSync(this.file, 'a', 0o600);
    this.size = 0;
  }

  close(): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
  }
}

/** Every log file of a data directory, newest first (for "save diagnostics"). */
export function logFiles(dataDir: string): string[] {
  const dir = path.join(dataDir, LOG_DIR);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /^console(?:\.\d+)?\.log$/.test(f))
    .sort((a, b) => (Number(a.split('.')[1]) || 0) - (Number(b.split('.')[1]) || 0))
    .map((f) => path.join(dir, f));
}

const isLevel = (value: unknown): value is LogLevel => (LOG_LEVELS as readonly unknown[]).includes(value);

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? (isLevel(process.env.CONSOLE_LOG_LEVEL) ? process.env.CONSOLE_LOG_LEVEL : 'info');
  const file = options.dataDir ? new RotatingFile(path.join(options.dataDir, LOG_DIR, LOG_FILE), options.maxBytes, options.files) : null;
  const echo = options.echo === undefined ? 'warn' : options.echo;
  const echoTo = options.echoTo ?? process.stderr;
  const rank = (l: string) => LOG_LEVELS.indexOf(l as LogLevel);
  const destination = {
    write(line: string) {
      const clean = redactText(line);
      file?.write(clean);
      if (echo !== null) {
        try {
          const entry = JSON.parse(clean) as { level: string; msg: string; domain?: string };
          if (rank(entry.level) >= rank(echo)) echoTo.write(`[${entry.level}]${entry.domain ? ` [${entry.domain}]` : ''} ${entry.msg}\n`);
        } catch {
          echoTo.write(clean);
        }
      }
    },
  };
  const root = pino(
    {
      level,
      name: options.name,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactValue(object) as Record<string, unknown>,
      },
    },
    destination,
  );
  return wrap(root, () => file?.close());
}

function wrap(p: pino.Logger, close: () => void = () => {}): Logger {
  const at =
    (level: LogLevel) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (fields) p[level](fields, message);
      else p[level](message);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (bindings) => wrap(p.child(bindings)),
    flush: () => p.flush(),
    close,
  };
}

/** For tests and tools that want no output at all. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
  flush: () => {},
  close: () => {},
};
