export * from './vocabulary';
export * from './rules';
export * from './interpolate';
export * from './ability';
export * from './query';
export * from './describe';
