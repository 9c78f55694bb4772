import { systemSuite } from './system-suite';

describe('order path end to end on SQLite', () => systemSuite());
