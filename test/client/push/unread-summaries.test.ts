// Unread counts that read many notifications one by one leave a summary
// (storage/push/push-summaries.ts); later counts add to it only the notifications after
// it. A summary of another read mark, or of a later position than the count's, is ignored.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { unreadCounts } from '../../../src/services/push/unread-counts.ts';
import { SUMMARIZE_AFTER } from '../../../src/storage/push/push-summaries.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { createOpenTenant, createRoom, enc, joinRoom, register, roomPath, startRoomsShard, sync, txn, type Client } from '../rooms/helpers.ts';

let shard: TestShard;
let tenant: TenantContext;
let alice: Client;
let bob: Client;

beforeAll(async () => {
  shard = await startRoomsShard();
  tenant = await createOpenTenant(shard, 'summaries.example');
  [alice, bob] = (await Promise.all(['alice', 'bob'].map((name) => register(shard, 'summaries.example', name)))) as [Client, Client];
});
afterAll(async () => shard?.close());

async function send(roomId: string, mention: boolean): Promise<string> {
  const content = { msgtype: 'm.text', body: 'hello', ...(mention ? { 'm.mentions': { user_ids: [bob.userId] } } : {}) };
  const res = await alice.call('PUT', roomPath(roomId, `/send/m.room.message/${txn()}`), content);
  expect(res.status, res.text).toBe(200);
  return (res.body as { event_id: string }).event_id;
}

interface Summary {
  after_mark: string;
  up_to: string;
  notifications: string;
  highlights: string;
}

async function summaryOf(roomId: string): Promise<Summary | undefined> {
  return tenant.db
    .selectFrom('push_summaries')
    .select(['after_mark', 'up_to', 'notifications', 'highlights'])
    .where('user_id', '=', bob.userId)
    .where('room_id', '=', roomId)
    .where('thread_id', '=', 'main')
    .executeTakeFirst();
}

/** The summary is written in the background: wait until it shows `notifications`. */
async function summaryWith(roomId: string, notifications: number): Promise<Summary> {
  for (let i = 0; i < 100; i++) {
    const summary = await summaryOf(roomId);
    if (summary && Number(summary.notifications) === notifications) return summary;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no summary of ${notifications} notifications`);
}

async function syncCounts(roomId: string): Promise<unknown> {
  const response = await sync(bob);
  return response.rooms?.join?.[roomId]?.unread_notifications;
}

test('a long count is summarised; later counts add only what follows; a new read mark starts over', async () => {
  const roomId = await createRoom(alice, { preset: 'public_chat' });
  await joinRoom(bob, roomId);
  const ids: string[] = [];
  for (let i = 0; i < SUMMARIZE_AFTER + 6; i++) ids.push(await send(roomId, i % 30 === 0));
  const first = { notification_count: SUMMARIZE_AFTER + 6, highlight_count: 3 };
  expect(await syncCounts(roomId)).toEqual(first);
  const summary = await summaryWith(roomId, first.notification_count);
  // Counted after Bob's own mark (his join), up to the position the sync read.
  expect(summary.highlights).toBe('3');
  expect(Number(summary.up_to)).toBeGreaterThan(Number(summary.after_mark));

  // Five more, one a mention: the count is the summary plus those.
  for (let i = 0; i < 5; i++) ids.push(await send(roomId, i === 0));
  const second = { notification_count: first.notification_count + 5, highlight_count: 4 };
  expect(await syncCounts(roomId)).toEqual(second);
  // The count really starts from the summary: a summary saying more shows through.
  await tenant.db.updateTable('push_summaries').set({ notifications: 1000 }).where('user_id', '=', bob.userId).execute();
  expect((await unreadCounts(tenant, bob.userId, [roomId])).get(roomId)?.total.notification_count).toBe(1005);
  // ...but not in a count up to a position before the summary's.
  const before = (await unreadCounts(tenant, bob.userId, [roomId], { upTo: Number(summary.up_to) - 1 })).get(roomId)?.total;
  expect(before).toEqual({ notification_count: first.notification_count - 1, highlight_count: 3 });

  // A read receipt moves the mark: the summary (of mark 0) no longer applies.
  const receipt = await bob.call('POST', roomPath(roomId, `/receipt/m.read/${enc(ids.at(-3) as string)}`), {});
  expect(receipt.status, receipt.text).toBe(200);
  expect(await syncCounts(roomId)).toEqual({ notification_count: 2, highlight_count: 0 });
  expect((await unreadCounts(tenant, bob.userId, [roomId])).get(roomId)?.total).toEqual({ notification_count: 2, highlight_count: 0 });
});

test('short counts write no summary', async () => {
  const roomId = await createRoom(alice, { preset: 'public_chat' });
  await joinRoom(bob, roomId);
  for (let i = 0; i < 3; i++) await send(roomId, false);
  expect(await syncCounts(roomId)).toEqual({ notification_count: 3, highlight_count: 0 });
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await summaryOf(roomId)).toBeUndefined();
});
