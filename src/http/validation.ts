// Request validation for routes: JSON object bodies and typed fields. Malformed input is a
// Matrix error (400 M_NOT_JSON / M_BAD_JSON / M_MISSING_PARAM / M_INVALID_PARAM), never a 500.
import { MatrixError } from '../errors/matrix-error.ts';

export type JsonObject = Record<string, unknown>;

/** The body as a JSON object. With `optional`, an absent body counts as `{}` (the spec lets
 * a few endpoints, such as /logout, take an empty body). */
export function objectBody(body: unknown, options: { optional?: boolean } = {}): JsonObject {
  if (body === undefined) {
    if (options.optional) return {};
    throw new MatrixError('M_NOT_JSON', 'The request body must be a JSON object');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new MatrixError('M_BAD_JSON', 'The request body must be a JSON object');
  }
  return body as JsonObject;
}

function wrongType(name: string, expected: string): MatrixError {
  return new MatrixError('M_BAD_JSON', `${name} must be ${expected}`);
}

export function optionalString(body: JsonObject, name: string, options: { maxLength?: number; nonEmpty?: boolean } = {}): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw wrongType(name, 'a string');
  if (options.nonEmpty && value.length === 0) throw new MatrixError('M_INVALID_PARAM', `${name} must not be empty`);
  if (options.maxLength !== undefined && value.length > options.maxLength) {
    throw new MatrixError('M_INVALID_PARAM', `${name} must be at most ${options.maxLength} characters`);
  }
  return value;
}

export function requiredString(body: JsonObject, name: string, options: { maxLength?: number; nonEmpty?: boolean } = {}): string {
  const value = optionalString(body, name, options);
  if (value === undefined) throw new MatrixError('M_MISSING_PARAM', `${name} is required`);
  return value;
}

export function optionalBoolean(body: JsonObject, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw wrongType(name, 'true or false');
  return value;
}

export function requiredStringArray(body: JsonObject, name: string, options: { maxItems?: number } = {}): string[] {
  const value = body[name];
  if (value === undefined) throw new MatrixError('M_MISSING_PARAM', `${name} is required`);
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw wrongType(name, 'an array of strings');
  if (options.maxItems !== undefined && value.length > options.maxItems) {
    throw new MatrixError('M_INVALID_PARAM', `${name} may list at most ${options.maxItems} items`);
  }
  return value as string[];
}

/** A query parameter given once (a repeated parameter is malformed). */
export function queryParam(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new MatrixError('M_INVALID_PARAM', `Query parameter ${name} must be given once`);
  return value;
}

export function requiredQueryParam(query: unknown, name: string): string {
  const value = queryParam(query, name);
  if (value === undefined) throw new MatrixError('M_MISSING_PARAM', `Query parameter ${name} is required`);
  return value;
}
