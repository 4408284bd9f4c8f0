// The non-matching settings of filters: limits, lazy-loading, include_leave, thread counts,
// event format; and the `filter` query parameter.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EVENT_LIMIT,
  effectiveLimit,
  eventFormat,
  lazyLoadMembers,
  MAX_EVENT_LIMIT,
  parseRoomEventFilterParam,
  parseSyncFilterParam,
  syncFilterOptions,
} from '../../../src/protocol/filters/index.ts';

describe('effectiveLimit', () => {
  it('defaults to 10', () => {
    expect(DEFAULT_EVENT_LIMIT).toBe(10);
    expect(effectiveLimit(undefined)).toBe(10);
    expect(effectiveLimit({})).toBe(10);
  });

  it('uses the filter limit, capped', () => {
    expect(effectiveLimit({ limit: 3 })).toBe(3);
    expect(effectiveLimit({ limit: 0 })).toBe(0);
    expect(effectiveLimit({ limit: 1_000_000 })).toBe(MAX_EVENT_LIMIT);
  });

  it('takes a policy', () => {
    expect(effectiveLimit(undefined, { defaultLimit: 20 })).toBe(20);
    expect(effectiveLimit({ limit: 500 }, { maxLimit: 100 })).toBe(100);
    expect(effectiveLimit(undefined, { defaultLimit: 50, maxLimit: 30 })).toBe(30);
  });
});

describe('lazyLoadMembers', () => {
  it.each([
    [undefined, { enabled: false, includeRedundant: false }],
    [{}, { enabled: false, includeRedundant: false }],
    [{ lazy_load_members: true }, { enabled: true, includeRedundant: false }],
    [{ lazy_load_members: true, include_redundant_members: true }, { enabled: true, includeRedundant: true }],
    [{ lazy_load_members: false, include_redundant_members: true }, { enabled: false, includeRedundant: false }],
    [{ include_redundant_members: true }, { enabled: false, includeRedundant: false }],
  ])('%j → %j', (filter, expected) => {
    expect(lazyLoadMembers(filter)).toEqual(expected);
  });
});

describe('eventFormat', () => {
  it('defaults to client', () => {
    expect(eventFormat(undefined)).toBe('client');
    expect(eventFormat({})).toBe('client');
    expect(eventFormat({ event_format: 'federation' })).toBe('federation');
  });
});

describe('syncFilterOptions', () => {
  it('has the spec defaults without a filter', () => {
    expect(syncFilterOptions(undefined)).toEqual({
      timelineLimit: 10,
      lazyLoadMembers: { enabled: false, includeRedundant: false },
      includeLeave: false,
      unreadThreadNotifications: false,
      eventFormat: 'client',
      eventFields: undefined,
    });
  });

  it('reads each setting from where the spec puts it', () => {
    const options = syncFilterOptions({
      event_fields: ['type'],
      event_format: 'federation',
      room: {
        include_leave: true,
        state: { lazy_load_members: true, include_redundant_members: true },
        timeline: { limit: 25, unread_thread_notifications: true, lazy_load_members: false },
      },
    });
    expect(options).toEqual({
      timelineLimit: 25,
      lazyLoadMembers: { enabled: true, includeRedundant: true },
      includeLeave: true,
      unreadThreadNotifications: true,
      eventFormat: 'federation',
      eventFields: ['type'],
    });
  });

  it('only honours lazy loading on room.state for /sync', () => {
    expect(syncFilterOptions({ room: { timeline: { lazy_load_members: true } } }).lazyLoadMembers.enabled).toBe(false);
  });

  it('applies the limit policy to the timeline', () => {
    expect(syncFilterOptions({ room: { timeline: { limit: 5000 } } }, { maxLimit: 100 }).timelineLimit).toBe(100);
  });
});

describe('parseSyncFilterParam', () => {
  it('treats text not starting with "{" as a filter ID', () => {
    expect(parseSyncFilterParam('66696p746572')).toEqual({ ok: true, kind: 'id', filterId: '66696p746572' });
    expect(parseSyncFilterParam(' {"room":{}}')).toMatchObject({ kind: 'id' });
    expect(parseSyncFilterParam('')).toEqual({ ok: true, kind: 'id', filterId: '' });
  });

  it('parses and validates inline JSON', () => {
    expect(parseSyncFilterParam('{"room":{"timeline":{"limit":1}}}')).toEqual({
      ok: true,
      kind: 'inline',
      filter: { room: { timeline: { limit: 1 } } },
    });
  });

  it('answers M_NOT_JSON for broken JSON and M_BAD_JSON for invalid filters', () => {
    expect(parseSyncFilterParam('{"room":')).toMatchObject({ ok: false, errcode: 'M_NOT_JSON' });
    expect(parseSyncFilterParam('{"room":[]}')).toMatchObject({ ok: false, errcode: 'M_BAD_JSON' });
  });
});

describe('parseRoomEventFilterParam', () => {
  it('parses the /messages example', () => {
    expect(parseRoomEventFilterParam('{"contains_url":true}')).toEqual({ ok: true, filter: { contains_url: true } });
  });

  it.each([
    ['not json', 'M_NOT_JSON'],
    ['', 'M_NOT_JSON'],
    ['[]', 'M_BAD_JSON'],
    ['null', 'M_BAD_JSON'],
    ['{"limit":-1}', 'M_BAD_JSON'],
    ['{"rooms":["x"]}', 'M_BAD_JSON'],
  ])('%j → %s', (param, errcode) => {
    expect(parseRoomEventFilterParam(param)).toMatchObject({ ok: false, errcode });
  });
});
