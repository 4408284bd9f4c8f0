// The CLI's pure parts: argv parsing, flags → request body, text layout. No shard needed.
import { describe, expect, test } from 'vitest';
import { parseCommandLine } from '../../src/admin/cli/args.ts';
import { UsageError } from '../../src/admin/cli/errors.ts';
import { alignColumns, formatFields } from '../../src/admin/cli/layout.ts';
import { settingsBody } from '../../src/admin/cli/settings-options.ts';

describe('parseCommandLine', () => {
  test('global options go before or after the command words; -y is --yes', () => {
    const invocation = parseCommandLine(['--json', 'tenant', 'delete', '-y', 'a.example', '--token', 't']);
    expect(invocation).toMatchObject({ kind: 'named', serverName: 'a.example', values: { json: true, yes: true, token: 't' } });
    expect(invocation.kind === 'named' && invocation.command.name).toBe('delete');
  });

  test('repeatable flags collect every value', () => {
    const invocation = parseCommandLine(['tenant', 'create', 'a.example', '--client-hostname', 'x.example', '--client-hostname', 'y.example']);
    expect(invocation).toMatchObject({ values: { 'client-hostname': ['x.example', 'y.example'] } });
  });

  test('"--" lets a server name start with a dash (the API then judges it)', () => {
    expect(parseCommandLine(['tenant', 'show', '--', '-odd.example'])).toMatchObject({ kind: 'named', serverName: '-odd.example' });
  });

  test('help topics: general, "help tenant <cmd>", "help <cmd>", --help after a command', () => {
    expect(parseCommandLine(['help'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['help', 'tenant'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['help', 'tenant', 'list'])).toMatchObject({ kind: 'help', command: { name: 'list' } });
    expect(parseCommandLine(['help', 'list'])).toMatchObject({ kind: 'help', command: { name: 'list' } });
    expect(parseCommandLine(['tenant', 'list', '-h'])).toMatchObject({ kind: 'help', command: { name: 'list' } });
    expect(() => parseCommandLine(['help', 'nothing'])).toThrow(UsageError);
  });

  test('a usage error names the command whose usage to print', () => {
    const attempt = () => parseCommandLine(['tenant', 'suspend', 'a.example', '--reason']);
    expect(attempt).toThrow(UsageError);
    try {
      attempt();
    } catch (error) {
      expect((error as UsageError).command).toBe('suspend');
    }
  });
});

describe('settingsBody', () => {
  test('maps flags to admin API fields and leaves out what was not given', () => {
    expect(
      settingsBody(
        {
          registration: 'token',
          'well-known-client': '{"a":1}',
          'default-room-version': '11',
          'client-hostname': ['c.example'],
          'rate-limits': '{"client":{"burst":9,"perSecond":1}}',
        },
        'create',
      ),
    ).toEqual({
      registration: 'token',
      well_known_client: { a: 1 },
      default_room_version: '11',
      client_hostnames: ['c.example'],
      rate_limits: { client: { burst: 9, perSecond: 1 } },
    });
    expect(() => settingsBody({ 'rate-limits': '{client' }, 'update')).toThrow(/--rate-limits must be JSON/);
    expect(settingsBody({}, 'update')).toEqual({});
  });

  test('--reset sends the API its reset values; an unknown setting is a usage error', () => {
    expect(settingsBody({ reset: ['client-hostnames', 'well-known-server', 'rate-limits'] }, 'update')).toEqual({
      client_hostnames: [],
      well_known_server: null,
      rate_limits: null,
    });
    expect(() => settingsBody({ reset: ['registration'] }, 'update')).toThrow(/--reset takes one of client-hostnames/);
  });
});

describe('layout', () => {
  test('columns align, the last is not padded, ragged rows are fine', () => {
    expect(alignColumns([['A', 'LONG HEADER', 'Z'], ['wide cell', 'x'], ['b', 'y', 'end']])).toBe(
      ['A          LONG HEADER  Z', 'wide cell  x', 'b          y            end'].join('\n'),
    );
  });

  test('fields align; lists continue under the value; an empty list shows "-"', () => {
    expect(
      formatFields([
        ['Name', 'a.example'],
        ['Client hostnames', ['x.example', 'y.example']],
        ['Keys', []],
      ]),
    ).toBe(['Name:             a.example', 'Client hostnames: x.example', '                  y.example', 'Keys:             -'].join('\n'));
  });

  test('control characters are escaped', () => {
    expect(formatFields([['Reason', 'a\u001b[2Jb\tc']])).toBe('Reason: a\\u001b[2Jb\\u0009c');
  });
});
