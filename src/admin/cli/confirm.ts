// A y/N question on the terminal. Only "y" or "yes" confirms; anything else, or end of
// input, declines.
import type { CliInput, CliOutput } from './io.ts';

async function readLine(input: CliInput): Promise<string> {
  let buffered = '';
  for await (const chunk of input) {
    buffered += chunk.toString();
    const newline = buffered.indexOf('\n');
    if (newline !== -1) return buffered.slice(0, newline);
  }
  return buffered;
}

export async function askYesNo(input: CliInput, prompt: CliOutput, question: string): Promise<boolean> {
  // The prompt goes to stderr so stdout stays clean for --json.
  prompt.write(`${question} [y/N] `);
  const answer = await readLine(input);
  return /^y(es)?$/i.test(answer.trim());
}
