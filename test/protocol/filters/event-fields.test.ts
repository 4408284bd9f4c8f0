// Filter.event_fields: dotted paths with escapes, overlapping paths, missing values, and
// never touching the input or the prototype.
import { describe, expect, it } from 'vitest';
import { applyEventFields, compileEventFields } from '../../../src/protocol/filters/index.ts';

const event = {
  type: 'm.room.message',
  sender: '@bob:example.org',
  event_id: '$e',
  origin_server_ts: 1,
  content: {
    body: 'hi',
    msgtype: 'm.text',
    'm.relates_to': { rel_type: 'm.thread', event_id: '$root' },
    'm\\foo': 'backslash',
    nested: { deep: { value: 1 }, other: 2 },
  },
  unsigned: { age: 5 },
};

describe('applyEventFields', () => {
  it('spec example: type, content, sender', () => {
    expect(applyEventFields(event, ['type', 'content', 'sender'])).toEqual({ type: event.type, content: event.content, sender: event.sender });
  });

  it('spec description: content.body keeps only the body of content', () => {
    expect(applyEventFields(event, ['content.body'])).toEqual({ content: { body: 'hi' } });
  });

  it('follows escaped dots and backslashes', () => {
    expect(applyEventFields(event, ['content.m\\.relates_to.rel_type'])).toEqual({ content: { 'm.relates_to': { rel_type: 'm.thread' } } });
    expect(applyEventFields(event, ['content.m\\\\foo'])).toEqual({ content: { 'm\\foo': 'backslash' } });
  });

  it('merges paths into one object', () => {
    expect(applyEventFields(event, ['content.body', 'content.msgtype', 'type'])).toEqual({
      type: 'm.room.message',
      content: { body: 'hi', msgtype: 'm.text' },
    });
    expect(applyEventFields(event, ['content.nested.deep.value', 'content.nested.other'])).toEqual({
      content: { nested: { deep: { value: 1 }, other: 2 } },
    });
  });

  it('a whole object wins over a part of it, in either order', () => {
    const expected = { content: event.content };
    expect(applyEventFields(event, ['content', 'content.body'])).toEqual(expected);
    expect(applyEventFields(event, ['content.body', 'content'])).toEqual(expected);
  });

  it('skips missing values without creating empty parents', () => {
    expect(applyEventFields(event, ['content.missing'])).toEqual({});
    expect(applyEventFields(event, ['missing.deeper'])).toEqual({});
    expect(applyEventFields(event, ['content.body.length'])).toEqual({});
    expect(applyEventFields(event, ['content.missing', 'type'])).toEqual({ type: 'm.room.message' });
  });

  it('keeps falsy values', () => {
    const falsy = { a: 0, b: '', c: false, d: null, e: [] };
    expect(applyEventFields(falsy, ['a', 'b', 'c', 'd', 'e'])).toEqual(falsy);
  });

  it('does not descend into arrays', () => {
    expect(applyEventFields({ list: [{ a: 1 }] }, ['list.0.a'])).toEqual({});
    expect(applyEventFields({ list: [{ a: 1 }] }, ['list'])).toEqual({ list: [{ a: 1 }] });
  });

  it('keeps the whole event when the list is absent or empty', () => {
    expect(applyEventFields(event, undefined)).toBe(event);
    expect(applyEventFields(event, [])).toBe(event);
  });

  it('does not modify the input', () => {
    const before = JSON.stringify(event);
    applyEventFields(event, ['content.body', 'content', 'content.nested.deep']);
    expect(JSON.stringify(event)).toBe(before);
  });

  it('copies "__proto__" as an own property and ignores inherited ones', () => {
    const odd = JSON.parse('{"__proto__": {"polluted": true}, "type": "x"}') as Record<string, unknown>;
    const out = applyEventFields(odd, ['__proto__', 'constructor', 'toString']);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('returns {} for a non-object event', () => {
    expect(compileEventFields(['type'])(null as unknown as Record<string, unknown>)).toEqual({});
  });
});
