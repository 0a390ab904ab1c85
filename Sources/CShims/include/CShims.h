#ifndef CSHIMS_H
#define CSHIMS_H
// Functions written in C because OpenSSL keeps pointers to their arguments
// beyond a single call (OSSL_PARAM_BLD keeps them until OSSL_PARAM_BLD_to_param).
#include <stddef.h>
#include <stdint.h>


// ---- DNSSEC keys (Cryptography target; see dnssec_keys.c) ----
// Each returns a new EVP_PKEY that the caller frees with EVP_PKEY_free, or NULL when the
// numbers do not make a valid key. Byte strings are unsigned big-endian numbers.
struct evp_pkey_st;

/// An RSA public key from its modulus and public exponent (RFC 3110 §2).
struct evp_pkey_st *CShims_rsa_public_key(const uint8_t *modulus, size_t modulus_len,
                                          const uint8_t *exponent, size_t exponent_len);

/// An RSA private key from n, e, d, p, q, d mod (p-1), d mod (q-1), q^-1 mod p, in that order.
struct evp_pkey_st *CShims_rsa_private_key(const uint8_t *const components[8],
                                           const size_t lengths[8]);

/// An EC public key on the named group ("prime256v1", "secp384r1") from an encoded point
/// (0x04 || X || Y); NULL when the point is not on the curve.
struct evp_pkey_st *CShims_ec_public_key(const char *group_name, const uint8_t *point,
                                         size_t point_len);

/// An EC key pair on the named group from its private scalar; the public point is derived.
struct evp_pkey_st *CShims_ec_private_key(const char *group_name, const uint8_t *scalar,
                                          size_t scalar_len);
// ---- end DNSSEC keys ----

#endif
