// What the CLI touches of the outside world, passed in so tests can capture and script it.

export interface CliOutput {
  write(chunk: string): unknown;
}

export interface CliInput extends AsyncIterable<string | Buffer> {
  isTTY?: boolean;
}

export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  /** Read only to confirm a delete; absent means "not a terminal". */
  stdin?: CliInput;
  env: Record<string, string | undefined>;
}
