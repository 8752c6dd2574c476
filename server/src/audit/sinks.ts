/** Wiring helpers: several sinks behind one, and the workspace retention from the store. */
import type { StoreReader } from '../data/store.js';
import type { AuditEventInput, EventSink } from './types.js';

/**
 * One sink that hands every event to each of `sinks`, in order. Every sink gets the event even
 * if an earlier one throws; the first error is then rethrown (the audit log throws only for a
 * malformed event or after a storage failure, and that must not pass silently).
 */
export function combineSinks(...sinks: EventSink[]): EventSink {
  return {
    record(event: AuditEventInput): void {
      let failure: unknown;
      let failed = false;
      for (const sink of sinks) {
        try {
          sink.record(event);
        } catch (error) {
          if (!failed) {
            failed = true;
            failure = error;
          }
        }
      }
      if (failed) throw failure;
    },
  };
}

/** `retentionDays` for the audit log: each workspace's `settings.audit_retention_days`. */
export function retentionFromStore(store: StoreReader): (workspaceId: string) => Promise<number | undefined> {
  return async (workspaceId) => (await store.workspace(workspaceId))?.settings.audit_retention_days;
}
