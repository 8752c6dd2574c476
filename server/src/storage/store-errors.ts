import { messageOf } from '../error-message.js';

/** The store stopped accepting reads and writes after a failed write. Restart to reload from disk. */
export class StoreFailedError extends Error {
  readonly code: string = 'store_failed';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreFailedError';
  }
}

/** The write that contained the caller's change failed; the change may or may not be on disk. */
export class DocumentWriteError extends StoreFailedError {
  override readonly code: string = 'document_write_failed';

  constructor(description: string, cause: unknown) {
    const detail = messageOf(cause);
    super(
      `Writing ${description} failed (${detail}). The change may or may not have reached the disk; ` +
        `the store now refuses reads and writes. Fix the cause (disk full, permissions) and restart ` +
        `the server to reload the data from disk.`,
      { cause },
    );
    this.name = 'DocumentWriteError';
  }
}

export class StoreClosedError extends Error {
  readonly code = 'store_closed';

  constructor(description: string) {
    super(`The document store for ${description} is closed.`);
    this.name = 'StoreClosedError';
  }
}
