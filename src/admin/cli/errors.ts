// The CLI's failure kinds; main maps each to its message and exit code.

/** The command line itself is wrong: exit 2 with usage text. */
export class UsageError extends Error {
  /** The command whose usage to print; undefined means the general usage. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/** The admin API answered with a Matrix error. */
export class ApiError extends Error {
  readonly errcode: string;
  readonly status: number;

  constructor(errcode: string, message: string, status: number) {
    super(message);
    this.name = 'ApiError';
    this.errcode = errcode;
    this.status = status;
  }
}

/** Any other failure worth a plain message and exit 1 (no token, API unreachable, declined). */
export class CliFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliFailure';
  }
}
