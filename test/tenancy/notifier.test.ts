// The notifier's sequence numbers (src/tenancy/notifier.ts): every notify() and wakeAll()
// takes the next one, and notifiedAfter tells whether a notification naming the user (or
// everyone) came after a sequence number — what lets a long-poll skip reading positions.
import { describe, expect, test } from 'vitest';
import { Notifier } from '../../src/tenancy/notifier.ts';

const ALICE = '@alice:notify.example';
const BOB = '@bob:notify.example';
const CAROL = '@carol:notify.example';

describe('sequence', () => {
  test('starts at 0; every notify() and wakeAll() takes the next number', () => {
    const notifier = new Notifier();
    expect(notifier.sequence).toBe(0);
    notifier.notify([ALICE]);
    expect(notifier.sequence).toBe(1);
    notifier.notify([ALICE, BOB]);
    expect(notifier.sequence).toBe(2);
    // Even a notification naming nobody counts.
    notifier.notify([]);
    expect(notifier.sequence).toBe(3);
    notifier.wakeAll();
    expect(notifier.sequence).toBe(4);
    notifier.notify(new Set([CAROL]));
    expect(notifier.sequence).toBe(5);
  });
});

describe('notifiedAfter', () => {
  test('nobody was notified after anything on a new notifier', () => {
    const notifier = new Notifier();
    expect(notifier.notifiedAfter(ALICE, 0)).toBe(false);
  });

  test('true only for the users named, and only for sequence numbers before the notification', () => {
    const notifier = new Notifier();
    const before = notifier.sequence;
    notifier.notify([ALICE, BOB]);
    const first = notifier.sequence;
    expect(notifier.notifiedAfter(ALICE, before)).toBe(true);
    expect(notifier.notifiedAfter(BOB, before)).toBe(true);
    expect(notifier.notifiedAfter(CAROL, before)).toBe(false);
    expect(notifier.notifiedAfter(ALICE, first)).toBe(false);

    notifier.notify([BOB]);
    const second = notifier.sequence;
    expect(notifier.notifiedAfter(ALICE, first)).toBe(false);
    expect(notifier.notifiedAfter(BOB, first)).toBe(true);
    expect(notifier.notifiedAfter(BOB, second)).toBe(false);
    // A notification naming others does not move a user's number.
    notifier.notify([CAROL]);
    expect(notifier.notifiedAfter(BOB, second)).toBe(false);
    expect(notifier.notifiedAfter(ALICE, first)).toBe(false);
    expect(notifier.notifiedAfter(CAROL, second)).toBe(true);
  });

  test('wakeAll() counts as a notification of everyone, even users never named', () => {
    const notifier = new Notifier();
    notifier.notify([ALICE]);
    const before = notifier.sequence;
    notifier.wakeAll();
    const woken = notifier.sequence;
    for (const user of [ALICE, BOB, '@never:notify.example']) {
      expect(notifier.notifiedAfter(user, before), user).toBe(true);
      expect(notifier.notifiedAfter(user, woken), user).toBe(false);
    }
    notifier.notify([BOB]);
    expect(notifier.notifiedAfter(BOB, woken)).toBe(true);
    expect(notifier.notifiedAfter(ALICE, woken)).toBe(false);
  });

  test('past the users it remembers, everyone counts as notified (never a missed wake)', () => {
    const notifier = new Notifier();
    notifier.notify([ALICE]);
    const before = notifier.sequence;
    const many = Array.from({ length: 100_001 }, (_, i) => `@user${i}:notify.example`);
    notifier.notify(many);
    const after = notifier.sequence;
    expect(notifier.notifiedAfter('@never:notify.example', before)).toBe(true);
    expect(notifier.notifiedAfter(ALICE, before)).toBe(true);
    expect(notifier.notifiedAfter(ALICE, after)).toBe(false);
    notifier.notify([CAROL]);
    expect(notifier.notifiedAfter(CAROL, after)).toBe(true);
    expect(notifier.notifiedAfter(BOB, after)).toBe(false);
  });
});

describe('waking', () => {
  test('notify() wakes the waiters of the users named, in the same call that takes the number', async () => {
    const notifier = new Notifier();
    const alice = notifier.wait(ALICE, 10_000);
    const bob = notifier.wait(BOB, 10_000);
    expect(notifier.waiting).toBe(2);
    notifier.notify([ALICE]);
    expect(await alice.promise).toBe(true);
    expect(notifier.waiting).toBe(1);
    expect(notifier.notifiedAfter(BOB, 0)).toBe(false);
    bob.cancel();
    expect(await bob.promise).toBe(false);
    expect(notifier.waiting).toBe(0);
  });

  test('wakeAll() wakes every waiter', async () => {
    const notifier = new Notifier();
    const waiters = [ALICE, BOB, BOB].map((user) => notifier.wait(user, 10_000));
    notifier.wakeAll();
    expect(await Promise.all(waiters.map((w) => w.promise))).toEqual([true, true, true]);
    expect(notifier.waiting).toBe(0);
  });
});
