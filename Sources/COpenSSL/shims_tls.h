#ifndef COPENSSL_SHIMS_TLS_H
#define COPENSSL_SHIMS_TLS_H
// Shims for the TLS engine: the SSL_*, BIO_* and DANE_* macros Swift cannot import, each as a
// static inline function prefixed COpenSSL_ (the macro's name follows the prefix).
#include <stdint.h>
#include <openssl/ssl.h>
#include <openssl/tls1.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/x509_vfy.h>

static inline long COpenSSL_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}

static inline long COpenSSL_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}

static inline long COpenSSL_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_max_proto_version(ctx, version);
}

static inline long COpenSSL_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

static inline long COpenSSL_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_session_cache_mode(ctx, mode);
}

static inline long COpenSSL_SSL_CTX_add1_chain_cert(SSL_CTX *ctx, X509 *cert) {
    return SSL_CTX_add1_chain_cert(ctx, cert);
}

static inline long COpenSSL_BIO_set_mem_eof_return(BIO *bio, int value) {
    return BIO_set_mem_eof_return(bio, value);
}

static inline int COpenSSL_BIO_pending(BIO *bio) {
    return BIO_pending(bio);
}

static inline long COpenSSL_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

static inline int COpenSSL_BIO_reset(BIO *bio) {
    return BIO_reset(bio);
}

static inline void COpenSSL_OPENSSL_free(void *pointer) {
    OPENSSL_free(pointer);
}

static inline uint64_t COpenSSL_SSL_OP_NO_COMPRESSION(void) { return SSL_OP_NO_COMPRESSION; }
static inline uint64_t COpenSSL_SSL_OP_NO_RENEGOTIATION(void) { return SSL_OP_NO_RENEGOTIATION; }
static inline uint64_t COpenSSL_SSL_OP_CIPHER_SERVER_PREFERENCE(void) {
    return SSL_OP_CIPHER_SERVER_PREFERENCE;
}

static inline unsigned long COpenSSL_DANE_FLAG_NO_DANE_EE_NAMECHECKS(void) {
    return DANE_FLAG_NO_DANE_EE_NAMECHECKS;
}

static inline long COpenSSL_SSL_SESS_CACHE_NO_INTERNAL(void) { return SSL_SESS_CACHE_NO_INTERNAL; }

// XN_FLAG_RFC2253 is an expression of several macros Swift does not import.
static inline unsigned long COpenSSL_XN_FLAG_RFC2253(void) {
    return XN_FLAG_RFC2253;
}

#endif
