import { orderPathSuite } from './order-path';

describe('order path end to end on SQLite', () => orderPathSuite());
