export { mediaKey, orgKey, orgPrefix, isOrgKey } from './keys';
export { storeObject, readObject, deleteObject, sha256Hex, type StoredObject } from './objects';
export { objectStoreFor, platformObjectStore, resetObjectStoresForTests } from './stores';
export type { ByteRange, ObjectRead, ObjectStore } from './store';
