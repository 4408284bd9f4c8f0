// Writing results: the raw API answer under --json, text otherwise.
import type { CommandContext } from './commands/command.ts';

export function printLine(ctx: Pick<CommandContext, 'io'>, text: string): void {
  ctx.io.stdout.write(`${text}\n`);
}

export function printResult(ctx: Pick<CommandContext, 'io' | 'json'>, answer: unknown, text: () => string): void {
  printLine(ctx, ctx.json ? JSON.stringify(answer, null, 2) : text());
}
