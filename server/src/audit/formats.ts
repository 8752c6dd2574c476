/**
 * Export formats: CSV (RFC 4180), NDJSON (one AuditEvent per line) and CEF (ArcSight Common
 * Event Format). Pure functions; the streaming lives in the audit log.
 */
import type { AuditEvent, AuditEventType, AuditExportFormat } from './types.js';

export const PRODUCT_VERSION = '0.1.0';

export const EXPORT_CONTENT_TYPES: Record<AuditExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
  cef: 'text/plain; charset=utf-8',
};

export const EXPORT_FILE_EXTENSIONS: Record<AuditExportFormat, string> = { csv: 'csv', ndjson: 'ndjson', cef: 'cef' };

// ----------------------------------------------------------------------------------------------
// CSV

export const CSV_COLUMNS = [
  'id',
  'occurred_at',
  'type',
  'actor_type',
  'actor_id',
  'actor_name',
  'target_id',
  'target_name',
  'ip',
  'user_agent',
  'method',
  'path',
  'status',
  'request_id',
  'correlation_id',
] as const;

/** RFC 4180 line break. */
export const CSV_EOL = '\r\n';

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field: quoted when it holds a comma, a double quote, CR or LF; quotes doubled. Null is empty. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return CSV_COLUMNS.join(',') + CSV_EOL;
}

export function csvRow(event: AuditEvent): string {
  const fields = [
    event.id,
    event.occurred_at,
    event.type,
    event.actor.type,
    event.actor.id,
    event.actor.name,
    event.target?.id ?? null,
    event.target?.name ?? null,
    event.ip,
    event.user_agent,
    event.method,
    event.path,
    event.status,
    event.request_id,
    event.correlation_id,
  ];
  return fields.map(csvField).join(',') + CSV_EOL;
}

/** Parse RFC 4180 text back into rows (for tests and for users checking an export). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      fieldStarted = true;
      i += 1;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      fieldStarted = false;
      i += 1;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
      i += 2;
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
      i += 1;
    } else {
      field += ch;
      fieldStarted = true;
      i += 1;
    }
  }
  if (field !== '' || fieldStarted || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// ----------------------------------------------------------------------------------------------
// NDJSON

export function ndjsonLine(event: AuditEvent): string {
  return `${JSON.stringify(event)}\n`;
}

// ----------------------------------------------------------------------------------------------
// CEF

export const CEF_TITLES: Record<AuditEventType, string> = {
  'workspace.created': 'Workspace created',
  'workspace.updated': 'Workspace updated',
  'member.created': 'Member created',
  'member.updated': 'Member updated',
  'member.deactivated': 'Member deactivated',
  'role.created': 'Role created',
  'role.updated': 'Role updated',
  'role.deleted': 'Role deleted',
  'scope.created': 'Scope created',
  'scope.updated': 'Scope updated',
  'scope.deleted': 'Scope deleted',
  'api_key.created': 'API key created',
  'api_key.updated': 'API key updated',
  'api_key.renewed': 'API key renewed',
  'api_key.rotated': 'API key rotated',
  'api_key.disabled': 'API key disabled',
  'api_key.enabled': 'API key enabled',
  'api_key.revoked': 'API key revoked',
  'api_key.used': 'API key used',
  'api_key.failed_auth': 'Authentication failed',
  'api_key.rate_limited': 'Request rate limited',
  'alert_subscription.created': 'Alert subscription created',
  'alert_subscription.updated': 'Alert subscription updated',
  'alert_subscription.deleted': 'Alert subscription deleted',
  'audit_log.exported': 'Audit log exported',
};

/** CEF severity 0–10: uses are routine, failed authentication and revocation stand out. */
export const CEF_SEVERITIES: Record<AuditEventType, number> = {
  'workspace.created': 5,
  'workspace.updated': 5,
  'member.created': 5,
  'member.updated': 5,
  'member.deactivated': 6,
  'role.created': 5,
  'role.updated': 5,
  'role.deleted': 6,
  'scope.created': 4,
  'scope.updated': 4,
  'scope.deleted': 5,
  'api_key.created': 5,
  'api_key.updated': 4,
  'api_key.renewed': 4,
  'api_key.rotated': 5,
  'api_key.disabled': 5,
  'api_key.enabled': 4,
  'api_key.revoked': 6,
  'api_key.used': 3,
  'api_key.failed_auth': 7,
  'api_key.rate_limited': 5,
  'alert_subscription.created': 4,
  'alert_subscription.updated': 4,
  'alert_subscription.deleted': 5,
  'audit_log.exported': 5,
};

/** Header fields: backslash and pipe are escaped; a line break has no escape there, so it becomes a space. */
export function cefHeaderEscape(value: string): string {
  return value.replace(/[\\|]/g, (ch) => `\\${ch}`).replace(/\r\n|[\r\n]/g, ' ');
}

/** Extension values: backslash and equals are escaped, line breaks become the two characters `\n` / `\r`. */
export function cefExtensionEscape(value: string): string {
  return value.replace(/[\\=\r\n]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '=' ? '\\=' : ch === '\n' ? '\\n' : '\\r'));
}

export function cefLine(event: AuditEvent, version = PRODUCT_VERSION): string {
  const header = [
    'CEF:0',
    cefHeaderEscape('Tessera'),
    cefHeaderEscape('Tessera'),
    cefHeaderEscape(version),
    cefHeaderEscape(event.type),
    cefHeaderEscape(CEF_TITLES[event.type] ?? event.type),
    String(CEF_SEVERITIES[event.type] ?? 5),
  ].join('|');
  const ext: string[] = [];
  const add = (key: string, value: string | number | null | undefined): void => {
    if (value === null || value === undefined || value === '') return;
    ext.push(`${key}=${cefExtensionEscape(String(value))}`);
  };
  const ms = Date.parse(event.occurred_at);
  add('rt', Number.isNaN(ms) ? null : ms);
  add('src', event.ip);
  add('requestMethod', event.method);
  add('request', event.path);
  add('outcome', event.status);
  add('suser', event.actor.id ?? event.actor.type);
  const keyName = event.target?.type === 'api_key' ? event.target.name : event.actor.type === 'api_key' ? event.actor.name : null;
  if (keyName !== null && keyName !== '') {
    add('cs1Label', 'keyName');
    add('cs1', keyName);
  }
  add('externalId', event.id);
  add('requestClientApplication', event.user_agent);
  add('cs2Label', 'actorType');
  add('cs2', event.actor.type);
  if (event.actor.name !== null && event.actor.name !== '') {
    add('cs3Label', 'actorName');
    add('cs3', event.actor.name);
  }
  if (event.target) {
    add('cs4Label', 'target');
    add('cs4', `${event.target.type}:${event.target.id}`);
  }
  if (event.request_id !== null) {
    add('cs5Label', 'requestId');
    add('cs5', event.request_id);
  }
  add('cs6Label', 'correlationId');
  add('cs6', event.correlation_id);
  return `${header}|${ext.join(' ')}\n`;
}

/** Split a CEF line back into header fields and extension pairs, undoing the escapes (tests, tooling). */
export function parseCefLine(line: string): { header: string[]; extension: Record<string, string> } {
  const header: string[] = [];
  let field = '';
  let i = 0;
  while (header.length < 7 && i < line.length) {
    const ch = line[i]!;
    if (ch === '\\' && (line[i + 1] === '\\' || line[i + 1] === '|')) {
      field += line[i + 1];
      i += 2;
    } else if (ch === '|') {
      header.push(field);
      field = '';
      i += 1;
    } else {
      field += ch;
      i += 1;
    }
  }
  const rest = line.slice(i).replace(/\n$/, '');
  const extension: Record<string, string> = {};
  // Keys are `\w+` followed by an unescaped `=`; a value runs until the next ` key=`.
  const keyAt = /(^| )([A-Za-z0-9_]+)=/g;
  const marks: Array<{ key: string; valueStart: number; keyStart: number }> = [];
  let match: RegExpExecArray | null;
  while ((match = keyAt.exec(rest)) !== null) {
    const keyStart = match.index + match[1]!.length;
    // An escaped `\=` is not a key separator: count preceding backslashes.
    let backslashes = 0;
    for (let j = match.index + match[0].length - 2; j >= 0 && rest[j] === '\\'; j -= 1) backslashes += 1;
    if (backslashes % 2 === 1) continue;
    marks.push({ key: match[2]!, keyStart, valueStart: match.index + match[0].length });
  }
  for (let m = 0; m < marks.length; m += 1) {
    const end = m + 1 < marks.length ? marks[m + 1]!.keyStart - 1 : rest.length;
    const raw = rest.slice(marks[m]!.valueStart, end);
    extension[marks[m]!.key] = raw.replace(/\\(.)/g, (_all, ch: string) => (ch === 'n' ? '\n' : ch === 'r' ? '\r' : ch));
  }
  return { header, extension };
}

export interface ExportEncoder {
  readonly contentType: string;
  /** Written once before the first event ('' for NDJSON and CEF). */
  readonly preamble: string;
  encode(event: AuditEvent): string;
}

export function exportEncoder(format: AuditExportFormat, version = PRODUCT_VERSION): ExportEncoder {
  switch (format) {
    case 'csv':
      return { contentType: EXPORT_CONTENT_TYPES.csv, preamble: csvHeader(), encode: csvRow };
    case 'ndjson':
      return { contentType: EXPORT_CONTENT_TYPES.ndjson, preamble: '', encode: ndjsonLine };
    case 'cef':
      return { contentType: EXPORT_CONTENT_TYPES.cef, preamble: '', encode: (event) => cefLine(event, version) };
    default:
      throw new TypeError(`Unknown export format ${String(format)}`);
  }
}
