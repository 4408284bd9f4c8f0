// The spec-validation helper itself: it loads the whole spec, the spec's own examples pass
// it, and it fails loudly on wrong bodies, unknown paths, methods and statuses.
import { beforeAll, describe, expect, test } from 'vitest';
import {
  checkSpecResponse,
  expectSpecResponse,
  expectSpecSchema,
  findSpecTemplate,
  formatAjvErrors,
  loadSpec,
  specValidator,
  type LoadedSpec,
} from '../helpers/openapi.ts';

let spec: LoadedSpec;
beforeAll(async () => {
  spec = await loadSpec();
});

describe('loading', () => {
  test('loads every client-server and server-server operation', () => {
    const count = (api: string) => spec.operations.filter((op) => op.api === api).length;
    // matrix-spec v1.19: 166 + 36 (the design doc's 235 adds the appservice, identity and push APIs).
    expect(count('client-server')).toBeGreaterThanOrEqual(160);
    expect(count('server-server')).toBeGreaterThanOrEqual(35);
    expect(spec.operations.every((op) => op.template.startsWith('/'))).toBe(true);
  });

  test('is loaded once per process', async () => {
    expect(await loadSpec()).toBe(spec);
  });

  test.each([
    ['client-server', '/_matrix/client/versions'],
    ['client-server', '/.well-known/matrix/client'],
    ['server-server', '/.well-known/matrix/server'],
    ['server-server', '/_matrix/federation/v1/version'],
    ['server-server', '/_matrix/key/v2/server'],
  ] as const)('%s defines GET %s with its base path', (api, path) => {
    expect(spec.operations.some((op) => op.api === api && op.method === 'GET' && op.template === path)).toBe(true);
  });
});

describe("the spec's own examples", () => {
  test('every response example validates against its own schema', () => {
    const failures: string[] = [];
    let validated = 0;
    for (const op of spec.operations) {
      for (const [key, response] of Object.entries(op.responses)) {
        for (const example of response.examples) {
          if (response.schema === undefined) {
            failures.push(`${op.operationId} ${key} ${example.name}: example without a schema`);
            continue;
          }
          const validate = specValidator(response.schema);
          if (!validate(example.value)) {
            failures.push(`${op.api}/${op.file} ${op.operationId} ${key} ${example.name}:\n${formatAjvErrors(validate.errors)}`);
          }
          validated++;
        }
      }
    }
    expect(failures).toEqual([]);
    // matrix-spec v1.19 has 316 in these two APIs (387 with the appservice, identity and push APIs).
    expect(validated).toBeGreaterThanOrEqual(300);
  });

  test('every path template is found again from a concrete path', () => {
    const misses: string[] = [];
    for (const op of spec.operations) {
      // Percent-encoded IDs, with an encoded slash that must not split a segment.
      const concrete = op.template.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(`!${name}:example.org/x`));
      const found = findSpecTemplate(spec, op.api, concrete);
      if (found !== op.template) misses.push(`${op.template} → ${found}`);
    }
    expect(misses).toEqual([]);
  });
});

describe('path matching', () => {
  test.each([
    ['/_matrix/client/v3/rooms/!a:example.org/state', '/_matrix/client/v3/rooms/{roomId}/state'],
    ['/_matrix/client/v3/rooms/%21a%3Aexample.org/state?at=x', '/_matrix/client/v3/rooms/{roomId}/state'],
    // An empty state key: the trailing slash is optional (the spec says so for stateKey).
    ['/_matrix/client/v3/rooms/!a:b/state/m.room.name/', '/_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}'],
    ['/_matrix/client/v3/rooms/!a:b/state/m.room.name', '/_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}'],
    ['/_matrix/client/v3/pushrules/', '/_matrix/client/v3/pushrules/'],
  ])('client-server %s → %s', (path, template) => {
    expect(findSpecTemplate(spec, 'client-server', path)).toBe(template);
  });

  test('literal segments win over parameters', () => {
    expect(findSpecTemplate(spec, 'server-server', '/_matrix/federation/v1/query/profile')).toBe('/_matrix/federation/v1/query/profile');
    expect(findSpecTemplate(spec, 'server-server', '/_matrix/federation/v1/query/x.y')).toBe('/_matrix/federation/v1/query/{queryType}');
  });

  test('an empty parameter elsewhere matches nothing', () => {
    expect(findSpecTemplate(spec, 'client-server', '/_matrix/client/v3/rooms/!a:b/typing/')).toBeUndefined();
    expect(findSpecTemplate(spec, 'client-server', '/_matrix/client/v3/rooms//state')).toBeUndefined();
    expect(findSpecTemplate(spec, 'client-server', '/_matrix/client/v3/pushrules')).toBeUndefined();
  });
});

describe('expectSpecResponse', () => {
  test('passes a conforming body and says which operation it used', async () => {
    const match = await expectSpecResponse('client-server', 'get', '/_matrix/client/versions', 200, { versions: ['v1.11'] });
    expect(match.operation.operationId).toBe('getVersions');
    expect(match.responseKey).toBe('200');
    expect(match.validated).toBe(true);
  });

  test('a wrong body fails, listing the errors with instance paths', async () => {
    const error = await expectSpecResponse('client-server', 'GET', '/_matrix/client/versions', 200, {
      versions: ['v1.11', 7],
      unstable_features: { 'org.example.feature': 'yes' },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain('GET /_matrix/client/versions → 200 does not conform to the spec');
    expect(message).toContain('getVersions (client-server/versions.yaml');
    expect(message).toContain('/versions/1: must be string');
    expect(message).toContain('/unstable_features/org.example.feature: must be boolean');
    expect(message).toContain('"org.example.feature": "yes"');
  });

  test('a missing required property fails', async () => {
    await expect(expectSpecResponse('client-server', 'GET', '/_matrix/client/versions', 200, {})).rejects.toThrow(
      "(root): must have required property 'versions'",
    );
  });

  test('Matrix string formats are enforced', async () => {
    await expect(
      expectSpecResponse('client-server', 'GET', '/_matrix/client/v3/account/whoami', 200, { user_id: 'alice' }),
    ).rejects.toThrow('/user_id: must match format "mx-user-id"');
    await expectSpecResponse('client-server', 'GET', '/_matrix/client/v3/account/whoami', 200, { user_id: '@alice:example.org' });
  });

  test('error statuses validate against the error schema the spec gives them', async () => {
    const path = '/_matrix/client/v3/user/@a:b/account_data/org.example.x';
    await expectSpecResponse('client-server', 'GET', path, 404, { errcode: 'M_NOT_FOUND', error: 'no such state' });
    await expect(expectSpecResponse('client-server', 'GET', path, 404, { error: 'no errcode' })).rejects.toThrow(
      "must have required property 'errcode'",
    );
  });

  test('an unknown path fails', async () => {
    await expect(expectSpecResponse('client-server', 'GET', '/_matrix/client/v3/no_such_endpoint', 200, {})).rejects.toThrow(
      'no client-server operation in the spec matches this path',
    );
    // The right path under the wrong API is unknown too.
    await expect(expectSpecResponse('server-server', 'GET', '/_matrix/client/versions', 200, { versions: [] })).rejects.toThrow(
      'no server-server operation',
    );
  });

  test('a method the spec does not define for the path fails', async () => {
    await expect(expectSpecResponse('client-server', 'POST', '/_matrix/client/versions', 200, { versions: [] })).rejects.toThrow(
      'the spec defines /_matrix/client/versions for GET, not POST',
    );
  });

  test('a status the operation does not define fails', async () => {
    await expect(expectSpecResponse('server-server', 'GET', '/_matrix/key/v2/server', 404, { errcode: 'M_NOT_FOUND' })).rejects.toThrow(
      'defines no response for status 404 (only 200)',
    );
  });

  test('a status defined without a JSON body passes unvalidated, and says so', async () => {
    const match = await expectSpecResponse('client-server', 'GET', '/.well-known/matrix/client', 404, undefined);
    expect(match.validated).toBe(false);
    // The state endpoint documents its 404 without a body schema.
    const state = await expectSpecResponse('client-server', 'GET', '/_matrix/client/v3/rooms/!a:b/state/m.room.name/', 404, {});
    expect(state.validated).toBe(false);
  });

  test('an endpoint the spec defines twice accepts a body valid for either definition', async () => {
    // GET /events is both the deprecated event stream and the guest peek API.
    const check = await checkSpecResponse('client-server', 'GET', '/_matrix/client/v3/events?from=s', 200, { chunk: [], start: 's', end: 'e' });
    expect(check.ok).toBe(true);
    expect(check.matches.map((m) => m.operation.operationId).sort()).toEqual(['getEvents', 'peekEvents']);
    const wrong = await checkSpecResponse('client-server', 'GET', '/_matrix/client/v3/events', 200, { chunk: 3 });
    expect(wrong.ok).toBe(false);
    expect(wrong.message).toContain('getEvents (client-server/old_sync.yaml');
    expect(wrong.message).toContain('peekEvents (client-server/peeking_events.yaml');
  });

  test('compiled validators are cached', () => {
    const op = spec.operations.find((o) => o.operationId === 'getVersions');
    const schema = op?.responses['200']?.schema as object;
    expect(specValidator(schema)).toBe(specValidator(schema));
  });
});

describe('expectSpecSchema', () => {
  test('validates a body against a definition file', async () => {
    await expectSpecSchema('client-server', 'definitions/errors/error.yaml', { errcode: 'M_UNRECOGNIZED', error: 'x' });
    await expect(expectSpecSchema('client-server', 'definitions/errors/error.yaml', { errcode: 404 })).rejects.toThrow(
      '/errcode: must be string',
    );
  });
});
