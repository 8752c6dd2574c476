import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AuditLog } from './audit/index.js';
import { openMemoryStore } from './data/open.js';
import { createMemoryPipeline, openEventPipeline } from './events.js';
import { UsageCounters } from './usage/index.js';
import { ManualClock } from './traffic/clock.js';

describe('the event pipeline', () => {
  it('closes every part even when one fails to close, then reports the failure', async () => {
    const pipeline = createMemoryPipeline({ store: openMemoryStore(), clock: new ManualClock(0) });
    vi.spyOn(pipeline.exports, 'close').mockRejectedValue(new Error('disk full'));
    const usageClosed = vi.spyOn(pipeline.usage, 'close');
    const auditClosed = vi.spyOn(pipeline.audit as unknown as { close(): Promise<void> }, 'close');
    await expect(pipeline.close()).rejects.toThrow('disk full');
    expect(usageClosed).toHaveBeenCalled();
    expect(auditClosed).toHaveBeenCalled();
  });

  it('flushes the usage counters even when the audit log fails to flush', async () => {
    const pipeline = createMemoryPipeline({ store: openMemoryStore(), clock: new ManualClock(0) });
    vi.spyOn(pipeline.audit as unknown as { flush(): Promise<void> }, 'flush').mockRejectedValue(new Error('disk full'));
    const usageFlushed = vi.spyOn(pipeline.usage, 'flush');
    await expect(pipeline.flush()).rejects.toThrow('disk full');
    expect(usageFlushed).toHaveBeenCalled();
  });

  it('closes the parts it opened when a later one fails to open', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tessera-pipeline-'));
    try {
      await writeFile(join(dataDir, 'alerts.json'), '{ damaged');
      const auditClosed = vi.spyOn(AuditLog.prototype, 'close');
      const usageClosed = vi.spyOn(UsageCounters.prototype, 'close');
      await expect(openEventPipeline({ dataDir, store: openMemoryStore(), clock: new ManualClock(0) })).rejects.toThrow(/alerts\.json/);
      expect(auditClosed).toHaveBeenCalledTimes(1);
      expect(usageClosed).toHaveBeenCalledTimes(1);
    } finally {
      vi.restoreAllMocks();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
