import { lifecycleSuite } from './lifecycle-suite';

// With RECORD_HISTORIES=1 this runner also records the workflow histories for test/replay (see its README).
describe('order lifecycle end to end on SQLite', () => lifecycleSuite({ recordHistories: true }));
