/**
 * Test support shared by several stages: local Spark sessions ({@link
 * org.stylesweep.testing.LocalSpark}), small sweep manifests ({@link
 * org.stylesweep.testing.TinyManifest}), a real S3-API server (S3Proxy) on loopback for s3a tests
 * ({@link org.stylesweep.testing.S3ProxyExtension}), a local file system with an injectable fault
 * ({@link org.stylesweep.testing.FaultyLocalFileSystem}), log capture ({@link
 * org.stylesweep.testing.LogCapture}), a weights server and weights files, and a Spark standalone
 * cluster on loopback whose executors are separate JVMs ({@link
 * org.stylesweep.testing.StandaloneCluster}).
 */
package org.stylesweep.testing;
