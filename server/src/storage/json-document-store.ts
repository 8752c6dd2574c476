/**
 * A lowdb-backed document store persisted to one JSON file.
 *
 * lowdb is built with an explicit adapter ({@link DurableJsonFileAdapter}) on purpose: lowdb's
 * presets (JSONFilePreset) silently switch to an in-memory adapter when NODE_ENV=test, and its
 * own file adapter neither fsyncs the folder nor refuses a corrupt file.
 */
import { Low, type Adapter } from 'lowdb';
import {
  CorruptDataFileError,
  type DurableFileWriter,
  readJsonFile,
  removeLeftoverTempFiles,
  writeFileDurably,
} from './durable-file.js';
import { LowDocumentStore, type StoreFailedError } from './document-store.js';
import { messageOf } from '../error-message.js';

/** Turns the parsed file into a `T` or throws (e.g. a zod schema's `parse`). */
export type DocumentValidator<T> = (value: unknown) => T;

export interface DurableJsonFileAdapterOptions<T> {
  validate?: DocumentValidator<T>;
  /** Replaces {@link writeFileDurably}; tests inject counting or failing writers. */
  writeFile?: DurableFileWriter;
}

function defaultValidate<T>(value: unknown): T {
  // A JSON document store holds an object or an array; `null`, a number or a string at the top
  // level means the file is not ours or was damaged.
  if (typeof value !== 'object' || value === null) {
    throw new Error(`the top-level value is ${value === null ? 'null' : typeof value}, expected an object`);
  }
  return value as T;
}

export class DurableJsonFileAdapter<T> implements Adapter<T> {
  readonly path: string;
  readonly #validate: DocumentValidator<T>;
  readonly #writeFile: DurableFileWriter;

  constructor(filePath: string, options: DurableJsonFileAdapterOptions<T> = {}) {
    this.path = filePath;
    this.#validate = options.validate ?? defaultValidate<T>;
    this.#writeFile = options.writeFile ?? writeFileDurably;
  }

  /** `null` only when the file does not exist. Corrupt or invalid content throws. */
  async read(): Promise<T | null> {
    const value = await readJsonFile(this.path);
    if (value === undefined) return null;
    try {
      return this.#validate(value);
    } catch (error) {
      const message = messageOf(error);
      throw new CorruptDataFileError(this.path, `its content does not have the expected shape (${message})`, {
        cause: error,
      });
    }
  }

  /**
   * Deliberately not `async`: the document is serialized synchronously, at call time, so the
   * group commit knows exactly which changes a write contains.
   */
  write(data: T): Promise<void> {
    let text: string;
    try {
      text = `${JSON.stringify(data)}\n`;
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#writeFile(this.path, text);
  }
}

export interface JsonDocumentStoreOptions<T> extends DurableJsonFileAdapterOptions<T> {
  /** Written (durably) when the file does not exist yet. Cloned, never mutated. */
  defaultData: T;
  onFailure?: (error: StoreFailedError) => void;
}

export class JsonDocumentStore<T> extends LowDocumentStore<T> {
  readonly path: string;

  private constructor(low: Low<T>, filePath: string, onFailure: ((error: StoreFailedError) => void) | undefined) {
    super(low, { description: `data file ${filePath}`, onFailure });
    this.path = filePath;
  }

  /**
   * Open the document at `filePath`. A missing file is created with `defaultData`; a corrupt or
   * invalid one throws {@link CorruptDataFileError} and is left exactly as it is. The caller must
   * hold the data-folder lock (only one process may own the file).
   */
  static async open<T>(filePath: string, options: JsonDocumentStoreOptions<T>): Promise<JsonDocumentStore<T>> {
    await removeLeftoverTempFiles(filePath);
    const adapter = new DurableJsonFileAdapter<T>(filePath, options);
    const low = new Low<T>(adapter, structuredClone(options.defaultData));
    // Not `low.read()`: it ignores falsy content and would let a damaged file be overwritten by
    // the default data. The adapter's `null` means "does not exist" and nothing else.
    const existing = await adapter.read();
    if (existing === null) {
      await low.write();
    } else {
      low.data = existing;
    }
    return new JsonDocumentStore<T>(low, filePath, options.onFailure);
  }
}
