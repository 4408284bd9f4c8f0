// Filter validation: the spec examples, each field's accepted and rejected values (all
// M_BAD_JSON), null as absent, unknown keys ignored, frozen results.
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../helpers/openapi.ts';
import {
  validateEventFilter,
  validateFilter,
  validateRoomEventFilter,
  type Filter,
} from '../../../src/protocol/filters/index.ts';

const specExample = {
  room: {
    state: { types: ['m.room.*'], not_rooms: ['!726s6s6q:example.com'] },
    timeline: { limit: 10, types: ['m.room.message'], not_rooms: ['!726s6s6q:example.com'], not_senders: ['@spam:example.com'] },
    ephemeral: { types: ['m.receipt', 'm.typing'], not_rooms: ['!726s6s6q:example.com'], not_senders: ['@spam:example.com'] },
  },
  presence: { types: ['m.presence'], not_senders: ['@alice:example.com'] },
  event_format: 'client',
  event_fields: ['type', 'content', 'sender'],
};

describe('the spec examples', () => {
  it('accepts the POST /filter request example unchanged', () => {
    expect(validateFilter(specExample)).toEqual({ ok: true, filter: specExample });
  });

  it('accepts every example filter.yaml gives (request and response)', async () => {
    const spec = await loadSpec();
    const get = spec.operations.find((op) => op.operationId === 'getFilter');
    const examples = get?.responses['200']?.examples ?? [];
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(validateFilter(example.value)).toMatchObject({ ok: true });
  });

  it('accepts the /messages example filter {"contains_url": true}', () => {
    expect(validateRoomEventFilter({ contains_url: true })).toEqual({ ok: true, filter: { contains_url: true } });
  });

  it('accepts the empty filter', () => {
    expect(validateFilter({})).toEqual({ ok: true, filter: {} });
  });
});

describe('accepted values', () => {
  const full: Filter = {
    event_fields: ['content.body', 'content.m\\.relates_to'],
    event_format: 'federation',
    presence: { limit: 1, types: ['m.presence'], not_types: [], senders: ['@a:b'], not_senders: ['@c:d'] },
    account_data: { types: ['m.*'], limit: 5 },
    room: {
      rooms: ['!a:b', '!hashOnlyV12'],
      not_rooms: ['!c:d'],
      include_leave: true,
      ephemeral: { types: ['m.typing'] },
      state: { lazy_load_members: true, include_redundant_members: false },
      timeline: { limit: 50, contains_url: false, unread_thread_notifications: true, rooms: ['!a:b'], senders: ['@a:b'] },
      account_data: { not_types: ['m.tag'] },
    },
  };

  it('round-trips a filter using every field', () => {
    expect(validateFilter(full)).toEqual({ ok: true, filter: full });
  });

  it('accepts limit 0 (lenient: the spec says greater than 0) and large safe limits', () => {
    expect(validateRoomEventFilter({ limit: 0 })).toEqual({ ok: true, filter: { limit: 0 } });
    expect(validateRoomEventFilter({ limit: 2 ** 53 - 1 })).toMatchObject({ ok: true });
  });

  it('treats null as absent everywhere', () => {
    const nulls = {
      event_fields: null,
      event_format: null,
      presence: null,
      account_data: { limit: null, types: null },
      room: { rooms: null, include_leave: null, timeline: { contains_url: null, lazy_load_members: null } },
    };
    expect(validateFilter(nulls)).toEqual({ ok: true, filter: { account_data: {}, room: { timeline: {} } } });
  });

  it('ignores unknown keys at every level, and keys of the wrong filter type', () => {
    const result = validateFilter({
      'org.example.extension': 1,
      presence: { rooms: 'not checked here', contains_url: 'nor this', future: true },
      room: { timeline: { future: [] }, future: {} },
    });
    expect(result).toEqual({ ok: true, filter: { presence: {}, room: { timeline: {} } } });
  });

  it('keeps empty lists (they include nothing)', () => {
    expect(validateRoomEventFilter({ types: [], rooms: [] })).toEqual({ ok: true, filter: { types: [], rooms: [] } });
  });

  it('freezes the result deeply', () => {
    const result = validateFilter(full);
    if (!result.ok) throw new Error(result.error);
    const filter = result.filter;
    expect(Object.isFrozen(filter)).toBe(true);
    expect(Object.isFrozen(filter.room)).toBe(true);
    expect(Object.isFrozen(filter.room?.timeline)).toBe(true);
    expect(Object.isFrozen(filter.room?.rooms)).toBe(true);
    expect(Object.isFrozen(filter.event_fields)).toBe(true);
  });

  it('copies lists, so later changes to the input do not leak in', () => {
    const input = { types: ['a'] };
    const result = validateEventFilter(input);
    input.types.push('b');
    expect(result).toEqual({ ok: true, filter: { types: ['a'] } });
  });
});

describe('rejected values (M_BAD_JSON)', () => {
  const table: Array<[string, unknown, RegExp]> = [
    ['not an object: array', [], /JSON object/],
    ['not an object: null', null, /JSON object/],
    ['not an object: string', '{}', /JSON object/],
    ['not an object: number', 1, /JSON object/],
    ['event_fields not a list', { event_fields: 'content' }, /event_fields/],
    ['event_fields holding a number', { event_fields: ['type', 1] }, /event_fields\[1\]/],
    ['event_format unknown', { event_format: 'raw' }, /event_format/],
    ['event_format wrong case', { event_format: 'Client' }, /event_format/],
    ['event_format not a string', { event_format: 1 }, /event_format/],
    ['presence not an object', { presence: [] }, /presence/],
    ['account_data not an object', { account_data: 'x' }, /account_data/],
    ['room not an object', { room: true }, /room/],
    ['presence limit negative', { presence: { limit: -1 } }, /presence\.limit/],
    ['timeline limit fractional', { room: { timeline: { limit: 1.5 } } }, /room\.timeline\.limit/],
    ['timeline limit a string', { room: { timeline: { limit: '10' } } }, /room\.timeline\.limit/],
    ['timeline limit unsafe', { room: { timeline: { limit: 2 ** 53 } } }, /limit/],
    ['timeline limit boolean', { room: { timeline: { limit: true } } }, /limit/],
    ['types not a list', { presence: { types: 'm.presence' } }, /presence\.types/],
    ['types holding null', { presence: { types: [null] } }, /presence\.types\[0\]/],
    ['not_types holding an object', { account_data: { not_types: [{}] } }, /account_data\.not_types\[0\]/],
    ['senders not user IDs', { presence: { senders: ['alice'] } }, /presence\.senders\[0\].*"@"/],
    ['not_senders not user IDs', { room: { timeline: { not_senders: ['@ok:x', '!room:x'] } } }, /not_senders\[1\]/],
    ['rooms not room IDs', { room: { rooms: ['#alias:x'] } }, /room\.rooms\[0\].*"!"/],
    ['not_rooms not room IDs', { room: { state: { not_rooms: ['room'] } } }, /room\.state\.not_rooms\[0\]/],
    ['include_leave not boolean', { room: { include_leave: 'true' } }, /include_leave/],
    ['contains_url not boolean', { room: { timeline: { contains_url: 1 } } }, /contains_url/],
    ['lazy_load_members not boolean', { room: { state: { lazy_load_members: 'yes' } } }, /lazy_load_members/],
    ['include_redundant_members not boolean', { room: { state: { include_redundant_members: 0 } } }, /include_redundant_members/],
    ['unread_thread_notifications not boolean', { room: { timeline: { unread_thread_notifications: [] } } }, /unread_thread_notifications/],
    ['ephemeral not an object', { room: { ephemeral: 'none' } }, /room\.ephemeral/],
    ['state not an object', { room: { state: [] } }, /room\.state/],
    ['room account_data not an object', { room: { account_data: 1 } }, /room\.account_data/],
  ];

  it.each(table)('%s', (_name, body, message) => {
    const result = validateFilter(body);
    expect(result).toMatchObject({ ok: false, errcode: 'M_BAD_JSON' });
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it('RoomEventFilter and EventFilter validate on their own', () => {
    expect(validateRoomEventFilter({ rooms: ['x'] })).toMatchObject({ ok: false, errcode: 'M_BAD_JSON' });
    expect(validateRoomEventFilter([])).toMatchObject({ ok: false, errcode: 'M_BAD_JSON' });
    expect(validateEventFilter({ senders: [1] })).toMatchObject({ ok: false, errcode: 'M_BAD_JSON' });
    // rooms is not an EventFilter field, so it is ignored there.
    expect(validateEventFilter({ rooms: ['x'] })).toEqual({ ok: true, filter: {} });
  });
});
