// A guard against accidental quadratic behaviour: a 30,000-event room with about 1,000
// conflicted events. Measured in thread CPU time, not wall time, so a busy CI machine
// does not fail it; the bound is generous (bench/protocol.ts measures properly).
import { describe, expect, it } from 'vitest';
import { tryResolveState } from '../../../src/protocol/state-res/index.ts';
import { benchRoom } from './synthetic-room.ts';

const cpuMs = (): number => {
  const usage = process.threadCpuUsage();
  return (usage.user + usage.system) / 1000;
};

describe('state resolution performance', () => {
  for (const roomVersion of ['1', '10', '12']) {
    it(`resolves 30,000 state events with 1,000 conflicted in well under a second of CPU (room version ${roomVersion})`, () => {
      const room = benchRoom({ roomVersion, stateEvents: 30_000, conflicted: 1_000 });
      const start = cpuMs();
      const result = tryResolveState(roomVersion, room.stateSets, room.events);
      const spent = cpuMs() - start;
      expect(result.ok).toBe(true);
      expect(spent).toBeLessThan(1_000);
    });
  }
});
