/** `npm start` / `npx tessera-server`: the reference server on its embedded file store. */
import { ConfigError, resolveConfig, USAGE } from './config.js';
import { startTessera } from './runtime.js';

async function main(): Promise<void> {
  let config;
  try {
    // Relative paths are relative to where the user typed the command: npm runs workspace
    // scripts inside the workspace folder, and says where it was invoked in INIT_CWD.
    config = resolveConfig(process.argv.slice(2), process.env, process.env.INIT_CWD ?? process.cwd());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`tessera-server: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  if (config === 'help') {
    console.log(USAGE);
    return;
  }

  let running;
  try {
    running = await startTessera(config);
  } catch (error) {
    // Lock held, corrupt data file, port in use: say what and where, without a stack trace.
    console.error(`tessera-server: cannot start: ${(error as Error).message}`);
    process.exit(1);
  }

  const { url, bootstrapped } = running;
  console.log(`Tessera reference server listening on ${url} (data in ${config.dataDir})`);
  console.log(`  API reference: ${url}/docs    OpenAPI: ${url}/openapi.json    health: ${url}/healthz`);
  if (bootstrapped) {
    console.log(`\nCreated workspace "${bootstrapped.workspace.name}" (${bootstrapped.workspace.id}) and its admin.`);
    if (bootstrapped.token) {
      console.log('The admin token is shown only this once; store it now:\n');
      console.log(`  ${bootstrapped.token}\n`);
    } else {
      console.log('The admin token is the value of TESSERA_ADMIN_TOKEN.\n');
    }
    console.log('Try it:');
    console.log(`  curl -s ${url}/v1/me -H "Authorization: Bearer ${bootstrapped.token ?? '$TESSERA_ADMIN_TOKEN'}"`);
    console.log(`  curl -s -X POST ${url}/v1/workspaces/${bootstrapped.workspace.id}/api-keys \\`);
    console.log(`    -H "Authorization: Bearer ${bootstrapped.token ?? '$TESSERA_ADMIN_TOKEN'}" -H "Content-Type: application/json" \\`);
    console.log(`    -d '{"name":"CI/CD Pipeline","scopes":["api_keys.read"],"expires_in":"90d"}'\n`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: flushing and stopping…`);
    try {
      await running.close();
      process.exit(0);
    } catch (error) {
      console.error(`tessera-server: error while stopping: ${(error as Error).message}`);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();
