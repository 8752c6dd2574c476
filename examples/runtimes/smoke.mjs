// Runs the built SDK (dist) in whatever runtime executes this file (Node, Deno, Bun) against a
// Tessera server: TESSERA_BASE_URL, TESSERA_API_KEY (an admin token), TESSERA_WORKSPACE_ID.
// Prints one JSON line describing what it saw.
import { Tessera, isWellFormedKey } from '@tessera/sdk';

const tessera = new Tessera();
const me = await tessera.me();
const created = await tessera.apiKeys.create({ name: 'Runtime smoke test', scopes: ['api_keys.read'] });
const verified = await tessera.keys.verify({ key: created.key, required_scopes: ['api_keys.read'] });
let notFound = 'none';
try {
  await tessera.apiKeys.get('key_0000000000000000000000');
} catch (error) {
  notFound = error.constructor.name;
}
await tessera.apiKeys.revoke(created.id);
console.log(JSON.stringify({ me: me.credential.type, wellFormed: isWellFormedKey(created.key), verify: verified.code, notFound }));
