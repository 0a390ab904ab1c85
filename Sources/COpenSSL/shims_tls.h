#ifndef COPENSSL_SHIMS_TLS_H
#define COPENSSL_SHIMS_TLS_H
// Shims for the TLS engine (SSL_* macros).
#include <openssl/ssl.h>

#endif
