#!/usr/bin/env node
// Runs the TypeScript sources directly so that `npm install && npm start` needs no build step.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --conditions=tessera-source`.trim();
register('tsx/esm', pathToFileURL('./'));
await import('../src/cli.ts');
