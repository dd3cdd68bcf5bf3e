/**
 * Test helpers shared by every heed package: run one suite on every backend, compare tensors
 * with tolerances, and check for tensor leaks. Needs `vitest` (an optional peer dependency).
 * @packageDocumentation
 */
export { describeBackends, TEST_BACKENDS, type DescribeBackendsOptions } from './describe-backends';
export { expectClose, type CloseOptions } from './expect-close';
export { expectNoLeaks } from '../memory/expect-no-leaks';
export { expectConfigRoundTrip } from './expect-config-round-trip';
export { centralDifference, centralDifferenceAsync, seededValues } from './central-difference';
