/**
 * jest's asymmetric matchers for a field of an expected object, typed `unknown` rather than the `any` @types/jest
 * gives them: a matcher stands in for the field's value without being one, and an `any` in an object literal is
 * what no-unsafe-assignment refuses. Same matchers, same matching: `matching.any(Number)` is `expect.any(Number)`.
 */
export const matching = {
  any: (classType: unknown): unknown => expect.any(classType),
  stringContaining: (text: string): unknown => expect.stringContaining(text),
  stringMatching: (pattern: string | RegExp): unknown => expect.stringMatching(pattern),
};
