/* Display filters (see dfilter.h): a lexer, a recursive-descent parser that
 * type-checks each literal against its field while compiling, and a tree
 * evaluator. Errors name the character position and what was expected. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "dfilter.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    pa_ftype type;
} fields[PA_DF_COUNT] = {
#define PA_DF(id, name, type, desc) {name, type},
#include "fields.def"
#undef PA_DF
};

const char *pa_dfield_name(pa_dfield f) { return f < PA_DF_COUNT ? fields[f].name : "?"; }
pa_ftype pa_dfield_type(pa_dfield f) { return fields[f].type; }

int pa_dfield_find(const char *name, size_t n) {
    for (int i = 0; i < PA_DF_COUNT; i++)
        if (strlen(fields[i].name) == n && strncmp(fields[i].name, name, n) == 0) return i;
    return -1;
}

/* ---- the tree --------------------------------------------------------- */

typedef enum { N_AND, N_OR, N_NOT, N_PRESENT, N_CMP } ntype;
typedef enum {
    OP_EQ,
    OP_NE,
    OP_ALL_EQ,
    OP_ANY_NE,
    OP_GT,
    OP_LT,
    OP_GE,
    OP_LE,
    OP_CONTAINS,
    OP_MATCHES,
    OP_IN,
    OP_BITAND
} optype;

typedef struct lit {
    pa_dvalue v;
    int prefix; /* CIDR bits for addresses; -1 none */
    bool range; /* sets: v .. hi */
    pa_dvalue hi;
    uint8_t *owned; /* bytes of strings and byte literals */
    int field;      /* >= 0: the value of another field (a field reference) */
} lit;

typedef struct node {
    ntype t;
    struct node *a, *b;
    pa_dfield field;
    optype op;
    lit *lits;
    size_t nlits;
    pcre2_code *re;
} node;

struct pa_dfilter {
    node *root;
    bool uses[PA_DF_COUNT];
};

static void free_node(node *n) {
    if (!n) return;
    free_node(n->a);
    free_node(n->b);
    for (size_t i = 0; i < n->nlits; i++) free(n->lits[i].owned);
    free(n->lits);
    if (n->re) pcre2_code_free(n->re);
    free(n);
}

void pa_dfilter_free(pa_dfilter *f) {
    if (!f) return;
    free_node(f->root);
    free(f);
}

bool pa_dfilter_uses(const pa_dfilter *f, pa_dfield field) { return f && field < PA_DF_COUNT && f->uses[field]; }

/* ---- lexer --------------------------------------------------------------- */

typedef enum { T_END, T_LP, T_RP, T_LB, T_RB, T_COMMA, T_OP, T_AND, T_OR, T_NOT, T_WORD, T_STRING, T_DOTDOT } ttype;

typedef struct tok {
    ttype t;
    size_t pos, len; /* in the text */
    optype op;
    char *str; /* T_STRING: decoded (owned); length in slen */
    size_t slen;
} tok;

typedef struct parser {
    const char *s;
    size_t n, i;
    tok cur;
    char *err;
    size_t errlen;
    bool failed;
    pa_dfilter *f;
    int depth;
} parser;

static void fail(parser *p, size_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(parser *p, size_t pos, const char *fmt, ...) {
    if (p->failed) return;
    p->failed = true;
    char msg[6144]; /* room for the list of supported fields */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(p->err, p->errlen, "display filter error at character %zu: %s", pos + 1, msg);
}

static bool word_char(int c) { return isalnum(c) || c == '_' || c == '.' || c == ':' || c == '/' || c == '-'; }

static const char *tok_text(const parser *p, const tok *t, char *buf, size_t n) {
    if (t->t == T_END) return "the end of the filter";
    size_t k = t->len < n - 3 ? t->len : n - 3;
    buf[0] = '\'';
    memcpy(buf + 1, p->s + t->pos, k);
    buf[k + 1] = '\'';
    buf[k + 2] = '\0';
    return buf;
}

static void next(parser *p) {
    free(p->cur.str);
    memset(&p->cur, 0, sizeof p->cur);
    while (p->i < p->n && isspace((unsigned char)p->s[p->i])) p->i++;
    tok *t = &p->cur;
    t->pos = p->i;
    if (p->i >= p->n) {
        t->t = T_END;
        return;
    }
    const char *s = p->s + p->i;
    size_t left = p->n - p->i;
    static const struct {
        const char *text;
        ttype t;
        optype op;
    } syms[] = {{"===", T_OP, OP_ALL_EQ}, {"!==", T_OP, OP_ANY_NE}, {"==", T_OP, OP_EQ}, {"!=", T_OP, OP_NE},
                {">=", T_OP, OP_GE},      {"<=", T_OP, OP_LE},      {"&&", T_AND, 0},    {"||", T_OR, 0},
                {"..", T_DOTDOT, 0},      {"&", T_OP, OP_BITAND},   {">", T_OP, OP_GT},  {"<", T_OP, OP_LT},
                {"!", T_NOT, 0},          {"~", T_OP, OP_MATCHES},  {"(", T_LP, 0},      {")", T_RP, 0},
                {"{", T_LB, 0},           {"}", T_RB, 0},           {",", T_COMMA, 0}};
    for (size_t k = 0; k < sizeof syms / sizeof syms[0]; k++) {
        size_t l = strlen(syms[k].text);
        if (left >= l && memcmp(s, syms[k].text, l) == 0) {
            t->t = syms[k].t;
            t->op = syms[k].op;
            t->len = l;
            p->i += l;
            return;
        }
    }
    if (*s == '"') {
        /* a string with C escapes */
        size_t j = 1;
        char *out = malloc(left + 1);
        size_t o = 0;
        if (!out) {
            fail(p, t->pos, "out of memory");
            t->t = T_END;
            return;
        }
        while (j < left && s[j] != '"') {
            char c = s[j++];
            if (c == '\\' && j < left) {
                char e = s[j++];
                if (e == 'n')
                    c = '\n';
                else if (e == 't')
                    c = '\t';
                else if (e == 'r')
                    c = '\r';
                else if (e == 'x' && j + 1 < left && isxdigit((unsigned char)s[j]) &&
                         isxdigit((unsigned char)s[j + 1])) {
                    char hx[3] = {s[j], s[j + 1], 0};
                    c = (char)strtol(hx, NULL, 16);
                    j += 2;
                } else if (e >= '0' && e <= '7') {
                    int v = e - '0', k = 0;
                    while (k < 2 && j < left && s[j] >= '0' && s[j] <= '7') v = v * 8 + (s[j++] - '0'), k++;
                    c = (char)v;
                } else
                    c = e;
            }
            out[o++] = c;
        }
        if (j >= left) {
            free(out);
            fail(p, t->pos, "this string has no closing quote");
            t->t = T_END;
            return;
        }
        out[o] = '\0';
        t->t = T_STRING;
        t->str = out;
        t->slen = o;
        t->len = j + 1;
        p->i += j + 1;
        return;
    }
    if (word_char((unsigned char)*s)) {
        size_t j = 0;
        while (j < left && word_char((unsigned char)s[j])) {
            /* a range "1..10" splits at the dots */
            if (s[j] == '.' && j + 1 < left && s[j + 1] == '.') break;
            j++;
        }
        t->t = T_WORD;
        t->len = j;
        p->i += j;
        static const struct {
            const char *w;
            ttype t;
            optype op;
        } kw[] = {{"and", T_AND, 0},
                  {"or", T_OR, 0},
                  {"not", T_NOT, 0},
                  {"eq", T_OP, OP_EQ},
                  {"ne", T_OP, OP_NE},
                  {"gt", T_OP, OP_GT},
                  {"lt", T_OP, OP_LT},
                  {"ge", T_OP, OP_GE},
                  {"le", T_OP, OP_LE},
                  {"contains", T_OP, OP_CONTAINS},
                  {"matches", T_OP, OP_MATCHES},
                  {"in", T_OP, OP_IN},
                  {"any_eq", T_OP, OP_EQ},
                  {"all_ne", T_OP, OP_NE},
                  {"all_eq", T_OP, OP_ALL_EQ},
                  {"any_ne", T_OP, OP_ANY_NE}};
        for (size_t k = 0; k < sizeof kw / sizeof kw[0]; k++)
            if (strlen(kw[k].w) == j && strncasecmp(s, kw[k].w, j) == 0) {
                t->t = kw[k].t;
                t->op = kw[k].op;
                return;
            }
        return;
    }
    fail(p, t->pos,
         "unexpected character '%c'; a filter is made of field names, values, comparison "
         "operators (== != > < >= <= contains matches in), && || ! and parentheses",
         *s);
    t->t = T_END;
}

/* ---- literals ----------------------------------------------------------- */

static bool parse_uint(const char *s, size_t n, uint64_t *out) {
    char buf[32];
    if (n == 0 || n >= sizeof buf) return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (buf[0] == '-') return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(buf, &end, 0);
    if (errno || *end) return false;
    *out = v;
    return true;
}

static bool parse_double(const char *s, size_t n, double *out) {
    char buf[64];
    if (n == 0 || n >= sizeof buf) return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (errno || *end) return false;
    *out = v;
    return true;
}

/* "aa:bb:cc", "aa-bb-cc", "aa.bb.cc", "aabb.ccdd.eeff" or "aabbcc": bytes. */
static size_t parse_hexbytes(const char *s, size_t n, uint8_t *out, size_t max) {
    size_t o = 0, i = 0;
    while (i < n) {
        if (s[i] == ':' || s[i] == '-' || s[i] == '.') {
            if (i == 0 || i + 1 == n) return 0;
            i++;
            continue;
        }
        if (i + 1 >= n || !isxdigit((unsigned char)s[i]) || !isxdigit((unsigned char)s[i + 1]) || o == max) {
            /* a single hex digit between separators ("0:1:2") is one byte */
            if (i < n && isxdigit((unsigned char)s[i]) && (i + 1 == n || s[i + 1] == ':' || s[i + 1] == '-') &&
                o < max) {
                char hx[2] = {s[i], 0};
                out[o++] = (uint8_t)strtol(hx, NULL, 16);
                i++;
                continue;
            }
            return 0;
        }
        char hx[3] = {s[i], s[i + 1], 0};
        out[o++] = (uint8_t)strtol(hx, NULL, 16);
        i += 2;
    }
    return o;
}

static bool parse_addr(const char *s, size_t n, bool v6, uint8_t *addr, int *prefix) {
    char buf[64];
    if (n == 0 || n >= sizeof buf) return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    *prefix = -1;
    char *slash = strchr(buf, '/');
    if (slash) {
        *slash = '\0';
        uint64_t bits;
        if (!parse_uint(slash + 1, strlen(slash + 1), &bits) || bits > (v6 ? 128u : 32u)) return false;
        *prefix = (int)bits;
    }
    memset(addr, 0, 16);
    return inet_pton(v6 ? AF_INET6 : AF_INET, buf, addr) == 1;
}

static const char *type_words(pa_ftype t) {
    switch (t) {
    case PA_FT_BOOL: return "1, 0, true or false";
    case PA_FT_UINT: return "an unsigned number (decimal, 0x hex or 0 octal)";
    case PA_FT_INT: return "a number";
    case PA_FT_DOUBLE: return "a number (seconds for times)";
    case PA_FT_IPV4: return "an IPv4 address, optionally with /prefix (10.0.0.0/8)";
    case PA_FT_IPV6: return "an IPv6 address, optionally with /prefix (2001:db8::/32)";
    case PA_FT_ETHER: return "a MAC address (00:11:22:33:44:55)";
    case PA_FT_STRING: return "a quoted string";
    case PA_FT_BYTES: return "bytes (47:45:54) or a quoted string";
    default: return "nothing: a protocol is only tested for presence, 'contains' or 'matches'";
    }
}

/* The current token as a literal for field f (or a reference to another
 * field of a compatible type). */
static bool literal(parser *p, pa_dfield f, lit *out) {
    memset(out, 0, sizeof *out);
    out->field = -1;
    out->prefix = -1;
    tok *t = &p->cur;
    pa_ftype ft = fields[f].type;
    const char *w = p->s + t->pos;
    size_t n = t->len;
    char tb[80];
    out->v.type = ft;
    if (t->t != T_WORD && t->t != T_STRING) {
        fail(p, t->pos, "expected a value for %s (%s), found %s", fields[f].name, type_words(ft),
             tok_text(p, t, tb, sizeof tb));
        return false;
    }
    if (t->t == T_WORD) {
        int other = pa_dfield_find(w, n);
        if (other >= 0 && fields[other].type != PA_FT_PROTO) {
            pa_ftype ot = fields[other].type;
            bool ok = ot == ft ||
                      ((ft == PA_FT_UINT || ft == PA_FT_INT || ft == PA_FT_DOUBLE || ft == PA_FT_BOOL) &&
                       (ot == PA_FT_UINT || ot == PA_FT_INT || ot == PA_FT_DOUBLE || ot == PA_FT_BOOL)) ||
                      ((ft == PA_FT_STRING || ft == PA_FT_BYTES) && (ot == PA_FT_STRING || ot == PA_FT_BYTES));
            if (!ok) {
                fail(p, t->pos, "%s cannot be compared with %s: their types differ", fields[f].name,
                     fields[other].name);
                return false;
            }
            out->field = other;
            p->f->uses[other] = true;
            return true;
        }
    }
    switch (ft) {
    case PA_FT_BOOL:
    case PA_FT_UINT:
    case PA_FT_INT:
    case PA_FT_DOUBLE: {
        if (t->t == T_STRING) break;
        if (ft == PA_FT_BOOL && (n == 4 && !strncasecmp(w, "true", 4))) {
            out->v.v.u = 1;
            return true;
        }
        if (ft == PA_FT_BOOL && (n == 5 && !strncasecmp(w, "false", 5))) {
            out->v.v.u = 0;
            return true;
        }
        if (ft == PA_FT_DOUBLE) {
            if (parse_double(w, n, &out->v.v.d)) return true;
            break;
        }
        uint64_t u;
        if (parse_uint(w, n, &u)) {
            if (ft == PA_FT_BOOL && u > 1) break;
            out->v.v.u = u;
            return true;
        }
        break;
    }
    case PA_FT_IPV4:
    case PA_FT_IPV6: {
        char buf[64];
        const char *src = w;
        size_t len = n;
        if (t->t == T_STRING) {
            src = t->str;
            len = t->slen;
        }
        if (len < sizeof buf) {
            memcpy(buf, src, len);
            buf[len] = '\0';
            if (parse_addr(buf, len, ft == PA_FT_IPV6, out->v.v.addr, &out->prefix)) return true;
        }
        break;
    }
    case PA_FT_ETHER:
        if (t->t == T_WORD && parse_hexbytes(w, n, out->v.v.addr, 6) == 6) return true;
        break;
    case PA_FT_STRING:
    case PA_FT_BYTES:
    case PA_FT_PROTO: {
        uint8_t tmp[256];
        size_t k = 0;
        if (t->t == T_STRING) {
            out->owned = malloc(t->slen + 1);
            if (!out->owned) break;
            memcpy(out->owned, t->str, t->slen);
            out->v.v.bytes.p = out->owned;
            out->v.v.bytes.n = t->slen;
            out->v.type = PA_FT_BYTES;
            return true;
        }
        if (ft != PA_FT_STRING && (k = parse_hexbytes(w, n, tmp, sizeof tmp)) > 0) {
            out->owned = malloc(k);
            if (!out->owned) break;
            memcpy(out->owned, tmp, k);
            out->v.v.bytes.p = out->owned;
            out->v.v.bytes.n = k;
            out->v.type = PA_FT_BYTES;
            return true;
        }
        if (ft == PA_FT_STRING) { /* an unquoted word, as Wireshark still accepts */
            out->owned = malloc(n + 1);
            if (!out->owned) break;
            memcpy(out->owned, w, n);
            out->v.v.bytes.p = out->owned;
            out->v.v.bytes.n = n;
            out->v.type = PA_FT_BYTES;
            return true;
        }
        break;
    }
    }
    fail(p, t->pos, "%s is not a valid value for %s; expected %s", tok_text(p, t, tb, sizeof tb), fields[f].name,
         type_words(ft));
    return false;
}

/* ---- parser ------------------------------------------------------------- */

static node *new_node(parser *p, ntype t) {
    node *n = calloc(1, sizeof *n);
    if (!n)
        fail(p, p->cur.pos, "out of memory");
    else
        n->t = t;
    return n;
}

static size_t edit_distance(const char *a, size_t na, const char *b) {
    size_t nb = strlen(b);
    if (na > 64 || nb > 64) return 99;
    size_t d[65], prev;
    for (size_t j = 0; j <= nb; j++) d[j] = j;
    for (size_t i = 1; i <= na; i++) {
        prev = d[0];
        d[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t cur = d[j];
            size_t sub = prev + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            size_t best = d[j] + 1 < d[j - 1] + 1 ? d[j] + 1 : d[j - 1] + 1;
            d[j] = sub < best ? sub : best;
            prev = cur;
        }
    }
    return d[nb];
}

static void unknown_field(parser *p, const tok *t) {
    const char *w = p->s + t->pos;
    char close[256] = "", all[4096] = "";
    size_t nc = 0, cl = 0, al = 0;
    for (int i = 0; i < PA_DF_COUNT; i++) {
        size_t d = edit_distance(w, t->len, fields[i].name);
        bool prefix = t->len >= 3 && !strncmp(fields[i].name, w, t->len);
        if ((d <= 2 || prefix) && nc < 6 && cl + strlen(fields[i].name) + 3 < sizeof close) {
            cl += (size_t)snprintf(close + cl, sizeof close - cl, "%s%s", nc ? ", " : "", fields[i].name);
            nc++;
        }
        if (al + strlen(fields[i].name) + 3 < sizeof all)
            al += (size_t)snprintf(all + al, sizeof all - al, "%s%s", i ? " " : "", fields[i].name);
    }
    fail(p, t->pos, "'%.*s' is not a field this server knows.%s%s%s Supported fields: %s",
         (int)(t->len > 64 ? 64 : t->len), w, nc ? " Did you mean " : "", close, nc ? "?" : "", all);
}

static node *parse_or(parser *p);

static node *parse_test(parser *p) {
    char tb[80];
    if (p->cur.t != T_WORD) {
        fail(p, p->cur.pos, "expected a field name, '(' or '!', found %s", tok_text(p, &p->cur, tb, sizeof tb));
        return NULL;
    }
    int f = pa_dfield_find(p->s + p->cur.pos, p->cur.len);
    if (f < 0) {
        unknown_field(p, &p->cur);
        return NULL;
    }
    p->f->uses[f] = true;
    size_t fpos = p->cur.pos;
    next(p);
    if (p->cur.t != T_OP) {
        node *n = new_node(p, N_PRESENT);
        if (n) n->field = (pa_dfield)f;
        return n;
    }
    optype op = p->cur.op;
    size_t oppos = p->cur.pos;
    pa_ftype ft = fields[f].type;
    if (ft == PA_FT_PROTO && op != OP_CONTAINS && op != OP_MATCHES) {
        fail(p, oppos, "%s is a protocol: test it alone (presence), or with 'contains' or 'matches'", fields[f].name);
        return NULL;
    }
    if (op == OP_BITAND && ft != PA_FT_UINT && ft != PA_FT_INT && ft != PA_FT_BOOL) {
        fail(p, oppos, "'&' (bitwise and) works on numbers; %s is %s", fields[f].name, type_words(ft));
        return NULL;
    }
    if ((op == OP_CONTAINS || op == OP_MATCHES) && ft != PA_FT_PROTO && ft != PA_FT_STRING && ft != PA_FT_BYTES) {
        fail(p, oppos, "'%s' works on strings, bytes and protocols; %s is %s",
             op == OP_CONTAINS ? "contains" : "matches", fields[f].name, type_words(ft));
        return NULL;
    }
    node *n = new_node(p, N_CMP);
    if (!n) return NULL;
    n->field = (pa_dfield)f;
    n->op = op;
    next(p);
    if (op == OP_MATCHES) {
        if (p->cur.t != T_STRING) {
            fail(p, p->cur.pos, "'matches' needs a quoted regular expression, found %s",
                 tok_text(p, &p->cur, tb, sizeof tb));
            free_node(n);
            return NULL;
        }
        int ec;
        PCRE2_SIZE eo;
        n->re = pcre2_compile((PCRE2_SPTR)p->cur.str, p->cur.slen, 0, &ec, &eo, NULL);
        if (!n->re) {
            PCRE2_UCHAR msg[160];
            pcre2_get_error_message(ec, msg, sizeof msg);
            fail(p, p->cur.pos + 1 + eo, "invalid regular expression: %s", (const char *)msg);
            free_node(n);
            return NULL;
        }
        next(p);
        return n;
    }
    if (op == OP_IN) {
        if (p->cur.t != T_LB) {
            fail(p, p->cur.pos, "'in' needs a set in braces, like {80 443 8000..8080}, found %s",
                 tok_text(p, &p->cur, tb, sizeof tb));
            free_node(n);
            return NULL;
        }
        next(p);
        size_t cap = 0;
        while (p->cur.t != T_RB) {
            if (p->cur.t == T_COMMA) {
                next(p);
                continue;
            }
            if (p->cur.t == T_END) {
                fail(p, p->cur.pos, "the set opened at character %zu has no closing '}'", fpos + 1);
                break;
            }
            if (n->nlits == cap) {
                cap = cap ? cap * 2 : 8;
                lit *nl = realloc(n->lits, cap * sizeof *nl);
                if (!nl || cap > 4096) {
                    free(nl == n->lits ? NULL : nl);
                    fail(p, p->cur.pos, "a set holds at most 4096 values");
                    break;
                }
                n->lits = nl;
            }
            lit *l = &n->lits[n->nlits];
            if (!literal(p, (pa_dfield)f, l)) break;
            n->nlits++;
            next(p);
            if (p->cur.t == T_DOTDOT) {
                if (ft != PA_FT_UINT && ft != PA_FT_INT && ft != PA_FT_DOUBLE) {
                    fail(p, p->cur.pos, "ranges (a..b) are for numbers; %s is %s", fields[f].name, type_words(ft));
                    break;
                }
                next(p);
                lit hi;
                if (!literal(p, (pa_dfield)f, &hi)) break;
                l->range = true;
                l->hi = hi.v;
                next(p);
            }
        }
        if (p->failed) {
            free_node(n);
            return NULL;
        }
        if (!n->nlits) {
            fail(p, p->cur.pos, "an empty set matches nothing; list values like {80 443}");
            free_node(n);
            return NULL;
        }
        next(p);
        return n;
    }
    n->lits = calloc(1, sizeof *n->lits);
    if (!n->lits || !literal(p, (pa_dfield)f, n->lits)) {
        if (!n->lits) fail(p, p->cur.pos, "out of memory");
        free_node(n);
        return NULL;
    }
    n->nlits = 1;
    if (ft == PA_FT_BOOL && (op == OP_GT || op == OP_LT || op == OP_GE || op == OP_LE)) {
        fail(p, oppos, "%s is true or false: compare it with == or !=", fields[f].name);
        free_node(n);
        return NULL;
    }
    next(p);
    return n;
}

static node *parse_unary(parser *p) {
    if (++p->depth > 256) {
        fail(p, p->cur.pos, "the filter nests deeper than 256 levels");
        return NULL;
    }
    node *r;
    if (p->cur.t == T_NOT) {
        next(p);
        node *a = parse_unary(p);
        if (!a)
            r = NULL;
        else if (!(r = new_node(p, N_NOT)))
            free_node(a);
        else
            r->a = a;
    } else if (p->cur.t == T_LP) {
        size_t open = p->cur.pos;
        next(p);
        r = parse_or(p);
        if (r && p->cur.t != T_RP) {
            char tb[80];
            fail(p, p->cur.pos, "expected ')' to close the '(' at character %zu, found %s", open + 1,
                 tok_text(p, &p->cur, tb, sizeof tb));
            free_node(r);
            r = NULL;
        } else if (r) {
            next(p);
        }
    } else {
        r = parse_test(p);
    }
    p->depth--;
    return r;
}

/* a && b (level 1, binds tighter) and a || b (level 0), left to right */
static node *parse_binary(parser *p, int level) {
    ttype op = level ? T_AND : T_OR;
    node *l = level ? parse_unary(p) : parse_binary(p, 1);
    while (l && p->cur.t == op) {
        next(p);
        node *r = level ? parse_unary(p) : parse_binary(p, 1);
        node *n = r ? new_node(p, level ? N_AND : N_OR) : NULL;
        if (!n) {
            free_node(l);
            free_node(r);
            return NULL;
        }
        n->a = l;
        n->b = r;
        l = n;
    }
    return l;
}

static node *parse_or(parser *p) { return parse_binary(p, 0); }

pa_dfilter *pa_dfilter_compile(const char *text, char *err, size_t errlen) {
    if (err && errlen) err[0] = '\0';
    pa_dfilter *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    parser p = {.s = text, .n = strlen(text), .err = err, .errlen = errlen, .f = f};
    next(&p);
    if (p.cur.t == T_END && !p.failed) fail(&p, 0, "the filter is empty; write one like 'ip.addr == 10.0.0.1 && tcp'");
    node *root = p.failed ? NULL : parse_or(&p);
    if (root && p.cur.t != T_END) {
        char tb[80];
        fail(&p, p.cur.pos, "expected '&&', '||' or the end of the filter, found %s",
             tok_text(&p, &p.cur, tb, sizeof tb));
    }
    free(p.cur.str);
    if (p.failed || !root) {
        free_node(root);
        free(f);
        return NULL;
    }
    f->root = root;
    return f;
}

/* ---- evaluation ----------------------------------------------------------- */

static int cmp_values(const pa_dvalue *a, const pa_dvalue *b, bool *comparable) {
    *comparable = true;
    double x, y;
    switch (a->type) {
    case PA_FT_BOOL:
    case PA_FT_UINT:
        if (b->type == PA_FT_DOUBLE) {
            x = (double)a->v.u;
            y = b->v.d;
            return x < y ? -1 : x > y;
        }
        if (b->type == PA_FT_INT) return b->v.i < 0 ? 1 : (a->v.u < (uint64_t)b->v.i ? -1 : a->v.u > (uint64_t)b->v.i);
        return a->v.u < b->v.u ? -1 : a->v.u > b->v.u;
    case PA_FT_INT:
        x = (double)a->v.i;
        y = b->type == PA_FT_DOUBLE ? b->v.d : b->type == PA_FT_INT ? (double)b->v.i : (double)b->v.u;
        return x < y ? -1 : x > y;
    case PA_FT_DOUBLE:
        x = a->v.d;
        y = b->type == PA_FT_DOUBLE ? b->v.d : b->type == PA_FT_INT ? (double)b->v.i : (double)b->v.u;
        return x < y ? -1 : x > y;
    case PA_FT_IPV4: return memcmp(a->v.addr, b->v.addr, 4);
    case PA_FT_IPV6: return memcmp(a->v.addr, b->v.addr, 16);
    case PA_FT_ETHER: return memcmp(a->v.addr, b->v.addr, 6);
    case PA_FT_STRING:
    case PA_FT_BYTES: {
        size_t n = a->v.bytes.n < b->v.bytes.n ? a->v.bytes.n : b->v.bytes.n;
        int c = n ? memcmp(a->v.bytes.p, b->v.bytes.p, n) : 0;
        if (c) return c;
        return a->v.bytes.n < b->v.bytes.n ? -1 : a->v.bytes.n > b->v.bytes.n;
    }
    default: *comparable = false; return 0;
    }
}

static bool in_prefix(const pa_dvalue *v, const lit *l) {
    size_t bytes = (size_t)l->prefix / 8, bits = (size_t)l->prefix % 8;
    if (memcmp(v->v.addr, l->v.v.addr, bytes)) return false;
    if (!bits) return true;
    uint8_t mask = (uint8_t)(0xFF << (8 - bits));
    return (v->v.addr[bytes] & mask) == (l->v.v.addr[bytes] & mask);
}

static bool test_one(const node *n, const pa_dvalue *v, const pa_dvalue *lv, const lit *l) {
    bool ok;
    if (l && l->prefix >= 0 && (v->type == PA_FT_IPV4 || v->type == PA_FT_IPV6)) {
        bool in = in_prefix(v, l);
        switch (n->op) {
        case OP_EQ:
        case OP_ALL_EQ:
        case OP_IN: return in;
        case OP_NE:
        case OP_ANY_NE: return !in;
        default: break;
        }
    }
    if (n->op == OP_CONTAINS) {
        const uint8_t *hay = v->v.bytes.p, *nd = lv->v.bytes.p;
        size_t hn = v->v.bytes.n, nn = lv->v.bytes.n;
        if (nn == 0) return true;
        for (size_t i = 0; i + nn <= hn; i++)
            if (hay[i] == nd[0] && memcmp(hay + i, nd, nn) == 0) return true;
        return false;
    }
    if (l && l->range) {
        int lo = cmp_values(v, lv, &ok), hi = cmp_values(v, &l->hi, &ok);
        return ok && lo >= 0 && hi <= 0;
    }
    if (n->op == OP_BITAND)
        return (v->type == PA_FT_INT ? (uint64_t)v->v.i : v->v.u) &
               (lv->type == PA_FT_INT ? (uint64_t)lv->v.i : lv->v.u);
    int c = cmp_values(v, lv, &ok);
    if (!ok) return false;
    switch (n->op) {
    case OP_EQ:
    case OP_ALL_EQ:
    case OP_IN: return c == 0;
    case OP_NE:
    case OP_ANY_NE: return c != 0;
    case OP_GT: return c > 0;
    case OP_LT: return c < 0;
    case OP_GE: return c >= 0;
    case OP_LE: return c <= 0;
    default: return false;
    }
}

static bool eval(const node *n, pa_dget get, void *ud) {
    switch (n->t) {
    case N_AND: return eval(n->a, get, ud) && eval(n->b, get, ud);
    case N_OR: return eval(n->a, get, ud) || eval(n->b, get, ud);
    case N_NOT: return !eval(n->a, get, ud);
    case N_PRESENT: {
        pa_dvalue v[1];
        return get(ud, n->field, v, 1) > 0;
    }
    case N_CMP: break;
    }
    pa_dvalue vals[PA_DF_MAX_VALUES];
    size_t nv = get(ud, n->field, vals, PA_DF_MAX_VALUES);
    if (!nv) return false;
    if (n->op == OP_MATCHES) {
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(n->re, NULL);
        if (!md) return false;
        bool hit = false;
        for (size_t i = 0; i < nv && !hit; i++)
            hit = pcre2_match(n->re, vals[i].v.bytes.p ? vals[i].v.bytes.p : (const uint8_t *)"", vals[i].v.bytes.n, 0,
                              0, md, NULL) >= 0;
        pcre2_match_data_free(md);
        return hit;
    }
    /* the right side: literals, or another field's values */
    pa_dvalue rv[PA_DF_MAX_VALUES];
    size_t nr = 0;
    const lit *single = NULL;
    if (n->nlits == 1 && n->lits[0].field >= 0) {
        nr = get(ud, (pa_dfield)n->lits[0].field, rv, PA_DF_MAX_VALUES);
        if (!nr) return false;
    } else {
        single = n->lits;
    }
    bool all_eq = n->op == OP_ALL_EQ, all_ne = n->op == OP_NE;
    for (size_t i = 0; i < nv; i++) {
        bool hit = false;
        if (single) {
            for (size_t k = 0; k < n->nlits && !hit; k++) hit = test_one(n, &vals[i], &n->lits[k].v, &n->lits[k]);
        } else {
            for (size_t k = 0; k < nr && !hit; k++) hit = test_one(n, &vals[i], &rv[k], NULL);
        }
        if (all_eq || all_ne) {
            if (!hit) return false; /* every value must satisfy it */
        } else if (hit) {
            return true;
        }
    }
    return all_eq || all_ne;
}

bool pa_dfilter_eval(const pa_dfilter *f, pa_dget get, void *ud) { return f && eval(f->root, get, ud); }
