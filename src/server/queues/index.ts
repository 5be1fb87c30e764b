export { QUEUES, QUEUE_KEYS, type QueueKey, type QueueName } from './names';
export { defineJob, type JobDefinition, type JobContext } from './define';
export { JOBS, jobByName } from './registry';
export { queue, closeQueues, bullPrefix, bullConnection } from './connection';
export { enqueue, type EnqueueOptions } from './enqueue';
