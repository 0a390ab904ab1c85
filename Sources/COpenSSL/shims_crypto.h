#ifndef COPENSSL_SHIMS_CRYPTO_H
#define COPENSSL_SHIMS_CRYPTO_H
// Shims for digests and signatures (EVP_* macros).
#include <openssl/evp.h>

#endif
