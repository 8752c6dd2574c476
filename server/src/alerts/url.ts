/**
 * Webhook target validation. Only http(s), no credentials in the URL, no fragment.
 *
 * Private targets (loopback, RFC 1918, link-local, ...) are **allowed by default**: this is a
 * local reference server, and tests and local development deliver to 127.0.0.1. A deployment
 * exposed to untrusted users sets `allowPrivateTargets: false`; then private literals are refused
 * when the URL is saved, and host names are resolved and checked again before each delivery
 * (a host may resolve to a private address, or change what it resolves to).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { InvalidWebhookUrlError } from '../audit/errors.js';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

export interface WebhookUrlOptions {
  /** Default true (see the module comment). */
  allowPrivateTargets?: boolean;
  /** The request field named in errors. Default `url`. */
  field?: string;
}

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function inV4(address: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipv4ToNumber(base) / size) * size;
  const n = ipv4ToNumber(address);
  return n >= start && n < start + size;
}

const PRIVATE_V4 = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4'];

/** Loopback, private, link-local, CGNAT, multicast, unspecified or reserved addresses. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  const family = isIP(bare);
  if (family === 4) return PRIVATE_V4.some((cidr) => inV4(bare, cidr));
  if (family !== 6) return false;
  if (bare === '::' || bare === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped) return isPrivateAddress(mapped[1]!);
  // The URL parser writes IPv4-mapped addresses in hex (`::ffff:a00:1`); NAT64 embeds one too.
  const hexMapped = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(bare);
  if (hexMapped) {
    const high = parseInt(hexMapped[1]!, 16);
    const low = parseInt(hexMapped[2]!, 16);
    return isPrivateAddress(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  const first = parseInt(bare.split(':')[0] || '0', 16);
  return (first & 0xfe00) === 0xfc00 /* fc00::/7 */ || (first & 0xffc0) === 0xfe80 /* fe80::/10 */ || (first & 0xff00) === 0xff00 /* multicast */;
}

function isLocalHostName(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost');
}

/** Parse and check a webhook URL; throws {@link InvalidWebhookUrlError} (422) with the reason. */
export function validateWebhookUrl(input: string, options: WebhookUrlOptions = {}): URL {
  const field = options.field ?? 'url';
  const fail = (detail: string): never => {
    throw new InvalidWebhookUrlError(field, detail);
  };
  if (typeof input !== 'string' || input.length === 0) fail('The URL is required.');
  if (input.length > MAX_WEBHOOK_URL_LENGTH) fail(`The URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return fail('The URL is not a valid absolute URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('Only http and https URLs can receive webhooks.');
  if (url.username !== '' || url.password !== '') fail('The URL must not contain credentials; authenticate the delivery with its signature instead.');
  if (url.hash !== '') fail('The URL must not contain a fragment.');
  if (url.hostname === '') fail('The URL has no host.');
  if (options.allowPrivateTargets === false && (isLocalHostName(url.hostname) || isPrivateAddress(url.hostname))) {
    fail('The URL points to a private or local address, which this server does not deliver to.');
  }
  return url;
}

export type HostLookup = (hostname: string) => Promise<string[]>;

export const systemLookup: HostLookup = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * Before a delivery when private targets are refused: resolve the host and refuse if any address
 * is private. Returns an error message, or null when the target may be called.
 */
export async function checkDeliveryTarget(url: URL, allowPrivateTargets: boolean, lookup: HostLookup = systemLookup): Promise<string | null> {
  if (allowPrivateTargets) return null;
  if (isLocalHostName(url.hostname)) return 'The target resolves to a local address.';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await lookup(host).catch(() => [] as string[]);
  if (addresses.length === 0) return `Cannot resolve ${url.hostname}.`;
  if (addresses.some(isPrivateAddress)) return 'The target resolves to a private address, which this server does not deliver to.';
  return null;
}
