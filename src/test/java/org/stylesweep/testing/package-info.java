/**
 * Test support shared by several stages: a real S3-API server (S3Proxy) on loopback for s3a
 * tests, started as a child process by {@link org.stylesweep.testing.S3ProxyExtension}.
 */
package org.stylesweep.testing;
