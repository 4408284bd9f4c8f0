// Fastify gives every request a child logger bound to its request ID. Creating a pino child
// serialises its bindings at once (measured: ~2 % of the send path's main thread), yet most
// requests never log. This factory hands out a stand-in that creates the real child only
// when a message at an enabled level is logged.
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino';

type Args = [unknown, ...unknown[]];

class LazyChildLogger {
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;
  #real: Logger | undefined;

  constructor(parent: Logger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  #logger(): Logger {
    this.#real ??= this.#parent.child(this.#bindings, this.#options);
    return this.#real;
  }

  #log(level: Level, args: Args): void {
    if (!this.isLevelEnabled(level)) return;
    (this.#logger()[level] as (...a: Args) => void)(...args);
  }

  get level(): string {
    return (this.#real ?? this.#parent).level;
  }

  set level(level: string) {
    this.#logger().level = level;
  }

  isLevelEnabled(level: string): boolean {
    return (this.#real ?? this.#parent).isLevelEnabled(level);
  }

  /** Also lazy while no line was logged (the tenant plugin adds the tenant to every request's logger). */
  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    if (this.#real) return this.#real.child(bindings, options);
    return new LazyChildLogger(this.#parent, { ...this.#bindings, ...bindings }, { ...this.#options, ...options }) as unknown as Logger;
  }

  fatal(...args: Args): void {
    this.#log('fatal', args);
  }
  error(...args: Args): void {
    this.#log('error', args);
  }
  warn(...args: Args): void {
    this.#log('warn', args);
  }
  info(...args: Args): void {
    this.#log('info', args);
  }
  debug(...args: Args): void {
    this.#log('debug', args);
  }
  trace(...args: Args): void {
    this.#log('trace', args);
  }
  silent(): void {}
}

/** Fastify's `childLoggerFactory` (its loggers are pino's): a request's child logger,
 * created on first use. */
export function lazyChildLogger(this: unknown, parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyChildLogger(parent as Logger, bindings, options) as unknown as FastifyBaseLogger;
}
