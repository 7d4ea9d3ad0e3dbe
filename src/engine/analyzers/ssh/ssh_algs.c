/* SSH algorithm choice, weakness and HASSH. */
#include "ssh_algs.h"

#include <string.h>

#include "cursor.h"
#include "digest.h"

/* The next name of a comma-separated list: *name and *len; false at the end. */
static bool next_name(pa_cur *c, const uint8_t **name, size_t *len) {
    if (!c->len) return false;
    const uint8_t *comma = memchr(c->p, ',', c->len);
    *name = c->p;
    *len = comma ? (size_t)(comma - c->p) : c->len;
    if (!pa_cur_skip(c, *len)) return false;
    if (comma && !pa_cur_skip(c, 1)) return false;
    return true;
}

static bool list_has(const uint8_t *list, size_t n, const uint8_t *name, size_t len) {
    pa_cur c = pa_cur_make(list, n);
    const uint8_t *s;
    size_t k;
    while (next_name(&c, &s, &k))
        if (k == len && memcmp(s, name, len) == 0) return true;
    return false;
}

bool pa_ssh_choose(const uint8_t *client, size_t cn, const uint8_t *server, size_t sn, char *out, size_t cap) {
    if (cap) out[0] = '\0';
    pa_cur c = pa_cur_make(client, cn);
    const uint8_t *s;
    size_t k;
    while (next_name(&c, &s, &k)) {
        if (!k || !list_has(server, sn, s, k)) continue;
        if (!cap) return true;
        size_t m = k < cap - 1 ? k : cap - 1;
        for (size_t i = 0; i < m; i++) out[i] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '.';
        out[m] = '\0';
        return true;
    }
    return false;
}

static bool starts(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

bool pa_ssh_cipher_is_aead(const char *name) {
    return name && (!strcmp(name, "chacha20-poly1305@openssh.com") || strstr(name, "-gcm") || strstr(name, "_GCM"));
}

static const char *weak_kex(const char *n) {
    if (!strcmp(n, "diffie-hellman-group1-sha1") || starts(n, "gss-group1-sha1-"))
        return "1024-bit group 1 with SHA-1; RFC 9142: SHOULD NOT";
    if (!strcmp(n, "diffie-hellman-group-exchange-sha1") || starts(n, "gss-gex-sha1-"))
        return "group exchange with SHA-1; RFC 9142: SHOULD NOT";
    if (!strcmp(n, "rsa1024-sha1")) return "1024-bit RSA with SHA-1; RFC 9142: MUST NOT";
    return NULL;
}

static const char *weak_cipher(const char *n) {
    if (!strcmp(n, "none")) return "no encryption";
    if (starts(n, "arcfour")) return "RC4";
    if (starts(n, "3des") || starts(n, "des-") || !strcmp(n, "des")) return "DES or 3DES: 64-bit block";
    if (strstr(n, "-cbc")) return "CBC mode: plaintext recovery, CVE-2008-5161";
    return NULL;
}

static const char *weak_mac(const char *n, const char *cipher) {
    if (pa_ssh_cipher_is_aead(cipher)) return NULL; /* the MAC is not used */
    if (!strcmp(n, "none")) return "no integrity protection";
    if (starts(n, "hmac-md5")) return "MD5";
    if (starts(n, "hmac-sha1-96")) return "SHA-1 cut to 96 bits";
    return NULL;
}

const char *pa_ssh_weak(pa_ssh_alg_kind kind, const char *name, const char *cipher) {
    if (!name || !name[0]) return NULL;
    switch (kind) {
    case PA_SSH_ALG_KEX: return weak_kex(name);
    case PA_SSH_ALG_HOSTKEY:
        return starts(name, "ssh-dss") || !strcmp(name, "x509v3-sign-dss") ? "DSA: 1024 bits, SHA-1" : NULL;
    case PA_SSH_ALG_CIPHER: return weak_cipher(name);
    case PA_SSH_ALG_MAC: return weak_mac(name, cipher);
    }
    return NULL;
}

size_t pa_ssh_hassh_input(const pa_ssh_kexinit *k, const uint8_t *payload, bool server, char *out, size_t cap) {
    static const int cs[4] = {PA_SSH_L_KEX, PA_SSH_L_ENC_CS, PA_SSH_L_MAC_CS, PA_SSH_L_COMP_CS};
    static const int sc[4] = {PA_SSH_L_KEX, PA_SSH_L_ENC_SC, PA_SSH_L_MAC_SC, PA_SSH_L_COMP_SC};
    const int *lists = server ? sc : cs;
    size_t total = 0;
    for (int i = 0; i < 4; i++) {
        const uint8_t *s = payload + k->list[lists[i]].off;
        size_t n = k->list[lists[i]].len;
        if (i && total + 1 < cap) out[total] = ';';
        if (i) total++;
        for (size_t j = 0; j < n; j++, total++)
            if (total + 1 < cap) out[total] = (char)s[j];
    }
    if (cap) out[total < cap ? total : cap - 1] = '\0';
    return total;
}

void pa_ssh_hassh(const char *input, size_t n, char hex[33]) { pa_digest_hex(PA_MD_MD5, input, n, hex, 32); }
