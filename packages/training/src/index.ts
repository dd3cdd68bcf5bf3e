/**
 * @heed/training: a training loop, losses, metrics, schedules, callbacks and checkpoints.
 * @packageDocumentation
 */
export { editDistance } from './edit-distance';
