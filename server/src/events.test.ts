import { describe, expect, it, vi } from 'vitest';
import { openMemoryStore } from './data/open.js';
import { createMemoryPipeline } from './events.js';
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
});
