/** The SDK version, sent as `X-Tessera-Client: tessera-sdk/<version>`. Kept equal to package.json (a test checks). */
export const VERSION = '0.1.0';
