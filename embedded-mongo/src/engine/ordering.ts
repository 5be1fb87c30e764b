/** BSON order and equality keys used by the engine (implemented in src/bson-order.ts). */
export { compareValues, equalityKey } from '../bson-order.js';
