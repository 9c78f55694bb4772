/**
 * The field of the value a workflow sees in place of a payload that reached the worker unencrypted
 * (lib/payload-codec.ts makes it, workflows/sealed.ts refuses it). Its own module: the codec cannot import the
 * interceptor, which needs the workflow sandbox.
 */
export const UNSEALED_FIELD = 'oms:unsealed';
