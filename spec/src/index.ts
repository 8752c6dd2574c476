export { openapi } from './document.js';
export { SpecValidator, specValidator, type ExchangeToCheck, type RouteMatch } from './validator.js';
export type { ErrorObject as SchemaError } from 'ajv/dist/2020.js';
export { operations, type Operation, type OperationId } from '../generated/operations.js';
export type { paths, components, operations as operationTypes } from '../generated/schema.js';
