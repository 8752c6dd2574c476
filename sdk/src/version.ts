/** The SDK version, sent as `User-Agent: tessera-sdk/<version>`. Kept equal to package.json (a test checks). */
export const VERSION = '0.1.0';
