// Building OpenSSL keys from raw DNSSEC key material (RFC 3110, RFC 6605) with the
// OpenSSL 3 provider API. Written in C because OSSL_PARAM_BLD keeps the BIGNUM and
// buffer pointers it is given until OSSL_PARAM_BLD_to_param, and EVP_PKEY_fromdata
// reads them again; here every pointer plainly outlives both calls.
#include "CShims.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>

// Turns a finished parameter builder into a key of `type` with `selection`; frees nothing it
// did not make.
static EVP_PKEY *key_from_builder(OSSL_PARAM_BLD *bld, const char *type, int selection) {
    EVP_PKEY *pkey = NULL;
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (params != NULL && ctx != NULL && EVP_PKEY_fromdata_init(ctx) == 1) {
        if (EVP_PKEY_fromdata(ctx, &pkey, selection, params) != 1) {
            pkey = NULL;
        }
    }
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pkey;
}

struct evp_pkey_st *CShims_rsa_public_key(const uint8_t *modulus, size_t modulus_len,
                                          const uint8_t *exponent, size_t exponent_len) {
    if (modulus_len == 0 || exponent_len == 0 || modulus_len > INT32_MAX ||
        exponent_len > INT32_MAX) {
        return NULL;
    }
    EVP_PKEY *pkey = NULL;
    BIGNUM *n = BN_bin2bn(modulus, (int)modulus_len, NULL);
    BIGNUM *e = BN_bin2bn(exponent, (int)exponent_len, NULL);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    if (n != NULL && e != NULL && bld != NULL &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) == 1 &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) == 1) {
        pkey = key_from_builder(bld, "RSA", EVP_PKEY_PUBLIC_KEY);
    }
    OSSL_PARAM_BLD_free(bld);
    BN_free(e);
    BN_free(n);
    return pkey;
}

struct evp_pkey_st *CShims_rsa_private_key(const uint8_t *const components[8],
                                           const size_t lengths[8]) {
    // Order: n, e, d, p, q, dp (d mod p-1), dq (d mod q-1), qinv (q^-1 mod p).
    static const char *const names[8] = {
        OSSL_PKEY_PARAM_RSA_N,         OSSL_PKEY_PARAM_RSA_E,
        OSSL_PKEY_PARAM_RSA_D,         OSSL_PKEY_PARAM_RSA_FACTOR1,
        OSSL_PKEY_PARAM_RSA_FACTOR2,   OSSL_PKEY_PARAM_RSA_EXPONENT1,
        OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
    };
    BIGNUM *numbers[8] = {NULL};
    EVP_PKEY *pkey = NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    int ok = bld != NULL;
    for (int i = 0; i < 8 && ok; i++) {
        if (components[i] == NULL || lengths[i] == 0 || lengths[i] > INT32_MAX) {
            ok = 0;
            break;
        }
        // Private numbers live in secure memory where it is set up.
        numbers[i] = BN_secure_new();
        ok = numbers[i] != NULL &&
             BN_bin2bn(components[i], (int)lengths[i], numbers[i]) != NULL &&
             OSSL_PARAM_BLD_push_BN(bld, names[i], numbers[i]) == 1;
    }
    if (ok) {
        pkey = key_from_builder(bld, "RSA", EVP_PKEY_KEYPAIR);
    }
    OSSL_PARAM_BLD_free(bld);
    for (int i = 0; i < 8; i++) {
        BN_clear_free(numbers[i]);
    }
    return pkey;
}

struct evp_pkey_st *CShims_ec_public_key(const char *group_name, const uint8_t *point,
                                         size_t point_len) {
    if (group_name == NULL || point == NULL || point_len == 0) {
        return NULL;
    }
    EVP_PKEY *pkey = NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    // Importing the encoded point decodes it, and decoding refuses a point not on the curve.
    if (bld != NULL &&
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group_name, 0) == 1 &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, point_len) == 1) {
        pkey = key_from_builder(bld, "EC", EVP_PKEY_PUBLIC_KEY);
    }
    OSSL_PARAM_BLD_free(bld);
    return pkey;
}

struct evp_pkey_st *CShims_ec_private_key(const char *group_name, const uint8_t *scalar,
                                          size_t scalar_len) {
    if (group_name == NULL || scalar == NULL || scalar_len == 0 || scalar_len > INT32_MAX) {
        return NULL;
    }
    EVP_PKEY *pkey = NULL;
    int nid = OBJ_sn2nid(group_name);
    EC_GROUP *group = nid == NID_undef ? NULL : EC_GROUP_new_by_curve_name(nid);
    BIGNUM *priv = BN_secure_new();
    EC_POINT *pub = group == NULL ? NULL : EC_POINT_new(group);
    unsigned char *encoded = NULL;
    size_t encoded_len = 0;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    // A private key file holds only the scalar: the public point is scalar x G.
    if (group != NULL && priv != NULL && pub != NULL && bld != NULL &&
        BN_bin2bn(scalar, (int)scalar_len, priv) != NULL && !BN_is_zero(priv) &&
        BN_cmp(priv, EC_GROUP_get0_order(group)) < 0 &&
        EC_POINT_mul(group, pub, priv, NULL, NULL, NULL) == 1) {
        encoded_len = EC_POINT_point2buf(group, pub, POINT_CONVERSION_UNCOMPRESSED, &encoded, NULL);
        if (encoded_len > 0 &&
            OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group_name, 0) == 1 &&
            OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) == 1 &&
            OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, encoded, encoded_len) == 1) {
            pkey = key_from_builder(bld, "EC", EVP_PKEY_KEYPAIR);
        }
    }
    OSSL_PARAM_BLD_free(bld);
    OPENSSL_free(encoded);
    EC_POINT_free(pub);
    BN_clear_free(priv);
    EC_GROUP_free(group);
    return pkey;
}
