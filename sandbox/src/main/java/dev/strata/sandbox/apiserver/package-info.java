/**
 * The sandbox's API server: fabric8's CRUD mock server as the object store, fronted by a dispatcher
 * that adds what kubectl and a real cluster need: discovery, OpenAPI, CRD admission, namespaces,
 * Table output, HTTP watch streams, merge patches and owner-reference clean-up.
 */
package dev.strata.sandbox.apiserver;
