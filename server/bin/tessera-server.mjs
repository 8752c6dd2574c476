#!/usr/bin/env node
// Runs the TypeScript sources directly, so `npm install && npm start` needs no build step.
// Workspace packages expose their sources under the `tessera-source` export condition; the
// resolve hook below adds that condition, and tsx compiles TypeScript on the fly.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register(
  'data:text/javascript,' +
    encodeURIComponent(
      'export async function resolve(specifier, context, next) {' +
        ' return next(specifier, { ...context, conditions: [...context.conditions, "tessera-source"] }); }',
    ),
);
await import('../src/cli.ts');
