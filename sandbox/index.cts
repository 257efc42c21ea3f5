/**
 * Dev-only local Business Central API sandbox (see sandbox/README.md).
 * Re-exports the whole public surface.
 */
export * from './types.cjs';
export { startSandbox, DEFAULT_OPTIONS, paymentProperties } from './server.cjs';
export { BcError, EMPTY_GUID, MSG, errorBody } from './errors.cjs';
export { etagFor } from './store.cjs';
export { BC_SCOPE } from './auth.cjs';
export { sandboxBearerCredentials, sandboxOAuth2Credentials } from './credentials.cjs';
export { MAX_BATCH_OPERATIONS } from './batch.cjs';
export { createRng, type Rng } from './random.cjs';
export { parseFilter, evaluate, parseQuery, type FilterNode, type QueryOptions } from './odata.cjs';
export { ENTITIES, fieldsOf, type EntityDef, type FieldType } from './entities.cjs';
export { SUBSCRIPTION_DEFAULTS, WEBHOOK_ENTITIES } from './subscriptions.cjs';
export { isLoopbackUrl } from './notifier.cjs';
