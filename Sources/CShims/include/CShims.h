#ifndef CSHIMS_H
#define CSHIMS_H
// Functions written in C because OpenSSL keeps pointers to their arguments
// beyond a single call (OSSL_PARAM_BLD keeps them until OSSL_PARAM_BLD_to_param).
#include <stddef.h>
#include <stdint.h>

#endif
