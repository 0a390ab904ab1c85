#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
// OpenSSL 3 headers, plus static-inline shims (prefixed COpenSSL_) for the macros
// Swift cannot import. Each area keeps its shims in its own header.
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/bio.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/bn.h>
#include <openssl/rsa.h>
#include <openssl/ec.h>

#include "shims_tls.h"
#include "shims_crypto.h"
#endif
