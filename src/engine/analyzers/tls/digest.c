#include "digest.h"

#include <pthread.h>

#include <openssl/evp.h>

static EVP_MD *mds[PA_MD_COUNT];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void fetch_all(void) {
    static const char *const names[PA_MD_COUNT] = {"MD5", "SHA1", "SHA256"};
    for (int i = 0; i < PA_MD_COUNT; i++) mds[i] = EVP_MD_fetch(NULL, names[i], NULL);
    /* kept for the life of the process: the pass runs on several threads */
}

unsigned pa_digest(pa_md md, const void *data, size_t n, uint8_t out[32]) {
    pthread_once(&once, fetch_all);
    unsigned dl = 0;
    if ((unsigned)md >= PA_MD_COUNT || !mds[md] || EVP_MD_get_size(mds[md]) > 32 ||
        !EVP_Digest(data, n, out, &dl, mds[md], NULL))
        return 0;
    return dl;
}

void pa_digest_hex(pa_md md, const void *data, size_t n, char *out, size_t hexlen) {
    static const char hex[] = "0123456789abcdef";
    uint8_t d[32];
    unsigned dl = pa_digest(md, data, n, d);
    size_t k = 0;
    for (unsigned i = 0; i < dl && k + 2 <= hexlen; i++) {
        out[k++] = hex[d[i] >> 4];
        out[k++] = hex[d[i] & 15];
    }
    while (k < hexlen) out[k++] = '0';
    out[hexlen] = '\0';
}
