// Typed reads of parseArgs values (the command table is dynamic, so parseArgs cannot type them).
import type { OptionValues } from './commands/command.ts';

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function stringListOption(values: OptionValues, name: string): string[] {
  const value = values[name];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

export function flagOption(values: OptionValues, name: string): boolean {
  return values[name] === true;
}
