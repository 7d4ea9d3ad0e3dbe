#include "smb2_parse.h"

#include <stdio.h>
#include <string.h>

#include "cursor.h"

/* ---- NetBIOS session framing ------------------------------------------ */

bool pa_nbss_smb(const uint8_t *d, size_t n, uint8_t *magic) {
    pa_cur c = pa_cur_make(d, n);
    uint8_t t, m, s, mm, b;
    if (!pa_cur_peek_u8(&c, 0, &t) || t != PA_NBSS_MESSAGE || !pa_cur_peek_u8(&c, 4, &m) ||
        !pa_cur_peek_u8(&c, 5, &s) || !pa_cur_peek_u8(&c, 6, &mm) || !pa_cur_peek_u8(&c, 7, &b))
        return false;
    if (s != 'S' || mm != 'M' || b != 'B' || (m != 0xFF && m != 0xFE && m != 0xFD && m != 0xFC)) return false;
    if (magic) *magic = m;
    return true;
}

bool pa_nbss_length(const uint8_t *d, size_t n, bool cifs, uint32_t *len) {
    pa_cur c = pa_cur_make(d, n);
    uint8_t t, flags;
    uint16_t l16;
    uint32_t l24;
    if (!pa_cur_u8(&c, &t)) return false;
    if (cifs) {
        if (!pa_cur_be24(&c, &l24)) return false;
        *len = l24;
        return true;
    }
    if (!pa_cur_u8(&c, &flags) || !pa_cur_be16(&c, &l16)) return false;
    *len = (uint32_t)l16 + ((flags & 1) ? 0x10000u : 0);
    return true;
}

/* Wireshark's test at the start of a segment it was not reassembling:
 * fewer than 4 bytes, flags other than the length extension, or a length
 * that does not suit the type make it a continuation message. */
bool pa_nbss_check(const uint8_t *d, size_t n, pa_nbss_hdr *h) {
    if (n < 4) return false;
    pa_cur c = pa_cur_make(d, n);
    uint8_t t, flags, s, m, b;
    /* a session message with "SMB" at bytes 5-7 has a 24-bit length */
    bool cifs = pa_cur_peek_u8(&c, 5, &s) && pa_cur_peek_u8(&c, 6, &m) && pa_cur_peek_u8(&c, 7, &b) && d[0] == 0 &&
                s == 'S' && m == 'M' && b == 'B';
    if (!pa_cur_u8(&c, &t) || !pa_cur_peek_u8(&c, 0, &flags)) return false;
    if (cifs) flags = 0;
    if (flags & 0xFE) return false;
    uint32_t len;
    if (!pa_nbss_length(d, n, cifs, &len)) return false;
    switch (t) {
    case 0x00:
        if (len == 0) return false;
        break;
    case 0x81:
        if (len < 2 || len > 256) return false;
        break;
    case 0x82:
    case 0x85:
        if (len != 0) return false;
        break;
    case 0x83:
        if (len != 1) return false;
        break;
    case 0x84:
        if (len != 6) return false;
        break;
    default: return false;
    }
    h->type = t;
    h->length = len;
    return true;
}

/* ---- SMB2 ---------------------------------------------------------------- */

static bool le64(pa_cur *c, uint64_t *v) {
    uint32_t lo, hi;
    if (!pa_cur_le32(c, &lo) || !pa_cur_le32(c, &hi)) return false;
    *v = (uint64_t)hi << 32 | lo;
    return true;
}

/* A cursor at off within [d, d+n). */
static bool at(const uint8_t *d, size_t n, size_t off, pa_cur *c) {
    *c = pa_cur_make(d, n);
    return pa_cur_skip(c, off);
}

bool pa_smb2_parse_hdr(const uint8_t *d, size_t n, pa_smb2_hdr *h) {
    memset(h, 0, sizeof *h);
    pa_cur c = pa_cur_make(d, n);
    uint8_t m[4];
    uint16_t hlen, chan, resv;
    if (!pa_cur_copy(&c, m, 4) || m[0] != 0xFE || m[1] != 'S' || m[2] != 'M' || m[3] != 'B') return false;
    if (!pa_cur_le16(&c, &hlen) || !pa_cur_le16(&c, &h->credit_charge)) return false;
    pa_cur st = c;
    if (!pa_cur_skip(&c, 4) || !pa_cur_le16(&c, &h->cmd) || !pa_cur_le16(&c, &h->credits) ||
        !pa_cur_le32(&c, &h->flags) || !pa_cur_le32(&c, &h->next) || !le64(&c, &h->msg_id))
        return false;
    if (h->flags & PA_SMB2_FLAG_RESPONSE) {
        if (!pa_cur_le32(&st, &h->status)) return false;
    } else if (!pa_cur_le16(&st, &chan) || !pa_cur_le16(&st, &resv)) {
        return false;
    }
    if (h->flags & PA_SMB2_FLAG_ASYNC) {
        if (!le64(&c, &h->async_id)) return false;
    } else if (!pa_cur_le32(&c, &h->pid) || !pa_cur_le32(&c, &h->tid)) {
        return false;
    }
    return le64(&c, &h->sesid) && pa_cur_skip(&c, 16);
}

bool pa_smb2_parse_transform(const uint8_t *d, size_t n, pa_smb2_transform *t) {
    pa_cur c = pa_cur_make(d, n);
    uint8_t m[4];
    uint16_t resv;
    if (!pa_cur_copy(&c, m, 4) || m[0] != 0xFD || m[1] != 'S' || m[2] != 'M' || m[3] != 'B') return false;
    return pa_cur_skip(&c, 32) && pa_cur_le32(&c, &t->size) && pa_cur_le16(&c, &resv) && pa_cur_le16(&c, &t->flags) &&
           le64(&c, &t->sesid);
}

void pa_smb2_utf16(const uint8_t *s, size_t n, char *out, size_t cap) {
    size_t k = 0;
    pa_cur c = pa_cur_make(s, n);
    uint16_t u, lo;
    while (cap && pa_cur_le16(&c, &u)) {
        uint32_t cp = u;
        if (u >= 0xD800 && u < 0xDC00) { /* a surrogate pair, when the low half follows */
            pa_cur save = c;
            if (pa_cur_le16(&c, &lo) && lo >= 0xDC00 && lo < 0xE000)
                cp = 0x10000u + ((uint32_t)(u - 0xD800) << 10) + (lo - 0xDC00);
            else {
                c = save;
                cp = 0xFFFD;
            }
        } else if (u >= 0xDC00 && u < 0xE000) {
            cp = 0xFFFD;
        }
        if (cp == 0) break;
        uint8_t b[4];
        size_t m;
        if (cp < 0x80) {
            b[0] = (uint8_t)cp;
            m = 1;
        } else if (cp < 0x800) {
            b[0] = (uint8_t)(0xC0 | cp >> 6);
            b[1] = (uint8_t)(0x80 | (cp & 0x3F));
            m = 2;
        } else if (cp < 0x10000) {
            b[0] = (uint8_t)(0xE0 | cp >> 12);
            b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
            b[2] = (uint8_t)(0x80 | (cp & 0x3F));
            m = 3;
        } else {
            b[0] = (uint8_t)(0xF0 | cp >> 18);
            b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
            b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
            b[3] = (uint8_t)(0x80 | (cp & 0x3F));
            m = 4;
        }
        if (k + m + 1 > cap) break; /* cut on a character boundary */
        memcpy(out + k, b, m);
        k += m;
    }
    if (cap) out[k] = '\0';
}

/* A name at (offset from the header, byte length) into b->name. */
static void name_at(const uint8_t *d, size_t n, uint32_t off, uint32_t len, pa_smb2_body *b) {
    pa_cur c;
    pa_cur s;
    if (!len || !at(d, n, off, &c) || !pa_cur_sub(&c, len, &s)) return;
    pa_smb2_utf16(s.p, s.len, b->name, sizeof b->name);
    b->has_name = true;
}

static bool fid_at(pa_cur *c, pa_smb2_body *b) { return (b->has_fid = pa_cur_copy(c, b->fid, 16)); }

static void negotiate(const uint8_t *d, size_t n, bool resp, pa_smb2_body *b, pa_cur c) {
    uint16_t resv, count;
    if (resp) {
        if (!pa_cur_le16(&c, &b->sec_mode) || !pa_cur_le16(&c, &b->dialect) || !pa_cur_skip(&c, 2 + 16) ||
            !pa_cur_le32(&c, &b->capabilities))
            return;
        b->parsed = true;
        return;
    }
    if (!pa_cur_le16(&c, &count) || !pa_cur_le16(&c, &b->sec_mode) || !pa_cur_le16(&c, &resv) ||
        !pa_cur_le32(&c, &b->capabilities) || !at(d, n, 100, &c))
        return;
    b->parsed = true;
    for (uint16_t i = 0; i < count && b->ndialects < PA_SMB2_MAX_DIALECTS; i++)
        if (!pa_cur_le16(&c, &b->dialects[b->ndialects++])) {
            b->ndialects--;
            break;
        }
}

static void tree_connect(const uint8_t *d, size_t n, bool resp, pa_smb2_body *b, pa_cur c) {
    uint16_t flags, off, len;
    if (resp) {
        b->parsed = pa_cur_u8(&c, &b->share_type);
        return;
    }
    if (!pa_cur_le16(&c, &flags) || !pa_cur_le16(&c, &off) || !pa_cur_le16(&c, &len)) return;
    b->parsed = true;
    name_at(d, n, off, len, b);
}

static void create(const uint8_t *d, size_t n, bool resp, pa_smb2_body *b, pa_cur c) {
    if (resp) {
        uint64_t eof;
        if (!pa_cur_skip(&c, 2) || !pa_cur_le32(&c, &b->create_action) || !pa_cur_skip(&c, 40) || !le64(&c, &eof) ||
            !pa_cur_skip(&c, 8) || !fid_at(&c, b))
            return;
        b->offset = eof;
        b->parsed = true;
        return;
    }
    uint16_t off, len;
    if (!pa_cur_skip(&c, 34) || !pa_cur_le32(&c, &b->disposition) || !pa_cur_skip(&c, 4) || !pa_cur_le16(&c, &off) ||
        !pa_cur_le16(&c, &len))
        return;
    b->parsed = true;
    name_at(d, n, off, len, b);
}

static void read_write(bool write, bool resp, pa_smb2_body *b, pa_cur c) {
    if (resp) {
        if (write) {
            uint16_t resv;
            b->parsed = pa_cur_le16(&c, &resv) && pa_cur_le32(&c, &b->length);
            return;
        }
        uint8_t off, resv;
        if (!pa_cur_u8(&c, &off) || !pa_cur_u8(&c, &resv) || !pa_cur_le32(&c, &b->length)) return;
        b->data_off = off;
        b->data_len = b->length;
        b->parsed = true;
        return;
    }
    uint16_t off;
    uint8_t pad, flags;
    if (write) {
        if (!pa_cur_le16(&c, &off)) return;
        b->data_off = off;
    } else if (!pa_cur_u8(&c, &pad) || !pa_cur_u8(&c, &flags)) {
        return;
    }
    if (!pa_cur_le32(&c, &b->length) || !le64(&c, &b->offset) || !fid_at(&c, b)) return;
    if (write) b->data_len = b->length;
    b->parsed = true;
}

static void ioctl(bool resp, pa_smb2_body *b, pa_cur c) {
    uint32_t in_off, in_len, out_off, out_len;
    if (!pa_cur_skip(&c, 2) || !pa_cur_le32(&c, &b->ctl_code) || !fid_at(&c, b) || !pa_cur_le32(&c, &in_off) ||
        !pa_cur_le32(&c, &in_len))
        return;
    b->parsed = true;
    if (!resp) {
        b->data_off = in_off;
        b->data_len = in_len;
        return;
    }
    if (!pa_cur_le32(&c, &out_off) || !pa_cur_le32(&c, &out_len)) return;
    b->data_off = out_off;
    b->data_len = out_len;
}

static void find(const uint8_t *d, size_t n, bool resp, pa_smb2_body *b, pa_cur c) {
    if (resp) {
        uint16_t off;
        uint32_t len;
        if (!pa_cur_le16(&c, &off) || !pa_cur_le32(&c, &len)) return;
        b->data_off = off;
        b->data_len = len;
        b->parsed = true;
        return;
    }
    uint8_t flags;
    uint32_t index;
    uint16_t off, len;
    if (!pa_cur_u8(&c, &b->info_class) || !pa_cur_u8(&c, &flags) || !pa_cur_le32(&c, &index) || !fid_at(&c, b) ||
        !pa_cur_le16(&c, &off) || !pa_cur_le16(&c, &len))
        return;
    b->parsed = true;
    name_at(d, n, off, len, b);
}

static void info(bool get, bool resp, pa_smb2_body *b, pa_cur c) {
    uint16_t off16, resv;
    if (resp) {
        /* GETINFO: the output buffer; SETINFO responses have none */
        if (get && pa_cur_le16(&c, &off16) && pa_cur_le32(&c, &b->buf_len)) b->buf_off = off16;
        b->parsed = true;
        return;
    }
    if (!pa_cur_u8(&c, &b->info_type) || !pa_cur_u8(&c, &b->info_class)) return;
    if (get) {
        if (!pa_cur_skip(&c, 20)) return;
    } else if (!pa_cur_le32(&c, &b->buf_len) || !pa_cur_le16(&c, &off16) || !pa_cur_le16(&c, &resv) ||
               !pa_cur_skip(&c, 4)) {
        return;
    } else {
        b->buf_off = off16;
    }
    if (!fid_at(&c, b)) return;
    b->parsed = true;
}

bool pa_smb2_info_name(const uint8_t *d, size_t n, uint8_t info_type, uint8_t info_class, bool set, char *out,
                       size_t cap) {
    size_t len_at;
    if (info_type != 1) return false; /* SMB2_0_INFO_FILE */
    if (set)
        len_at = info_class == 10 ? 16 : 0; /* FileRenameInformation */
    else if (info_class == 0x12)
        len_at = 96; /* FileAllInformation: its FileNameInformation last */
    else if (info_class == 0x09)
        len_at = 0; /* FileNameInformation */
    else
        return false;
    if (set && !len_at) return false;
    pa_cur c, s;
    uint32_t nlen;
    if (!at(d, n, len_at, &c) || !pa_cur_le32(&c, &nlen) || !pa_cur_sub(&c, nlen, &s)) return false;
    pa_smb2_utf16(s.p, s.len, out, cap);
    return true;
}

/* Responses carry their body on success; an error has the 9-byte error
 * response, except where the status still brings a body (more processing
 * for a session setup, buffer overflow for a read, ioctl or query). */
static bool has_body(const pa_smb2_hdr *h) {
    if (!(h->flags & PA_SMB2_FLAG_RESPONSE) || h->status == 0) return true;
    if (h->status == PA_NT_STATUS_MORE_PROCESSING) return h->cmd == PA_SMB2_SESSION_SETUP;
    if (h->status == PA_NT_STATUS_BUFFER_OVERFLOW)
        return h->cmd == PA_SMB2_READ || h->cmd == PA_SMB2_IOCTL || h->cmd == PA_SMB2_GETINFO;
    return false;
}

void pa_smb2_parse_body(const uint8_t *d, size_t n, const pa_smb2_hdr *h, pa_smb2_body *b) {
    memset(b, 0, sizeof *b);
    pa_cur c;
    uint16_t size;
    if (!has_body(h) || !at(d, n, PA_SMB2_HDR_LEN, &c) || !pa_cur_le16(&c, &size)) return;
    bool resp = h->flags & PA_SMB2_FLAG_RESPONSE;
    switch (h->cmd) {
    case PA_SMB2_NEGOTIATE: negotiate(d, n, resp, b, c); break;
    case PA_SMB2_SESSION_SETUP:
        if (resp)
            b->parsed = pa_cur_le16(&c, &b->session_flags);
        else
            b->parsed = true;
        break;
    case PA_SMB2_TREE_CONNECT: tree_connect(d, n, resp, b, c); break;
    case PA_SMB2_CREATE: create(d, n, resp, b, c); break;
    case PA_SMB2_CLOSE: b->parsed = resp || (pa_cur_skip(&c, 6) && fid_at(&c, b)); break;
    case PA_SMB2_READ:
    case PA_SMB2_WRITE: read_write(h->cmd == PA_SMB2_WRITE, resp, b, c); break;
    case PA_SMB2_IOCTL: ioctl(resp, b, c); break;
    case PA_SMB2_FIND: find(d, n, resp, b, c); break;
    case PA_SMB2_GETINFO:
    case PA_SMB2_SETINFO: info(h->cmd == PA_SMB2_GETINFO, resp, b, c); break;
    default: b->parsed = true; break;
    }
}

/* Where the name length and name sit in a directory entry of each class
 * (MS-FSCC 2.4): 0 when the class is not one we read. */
static void entry_layout(uint8_t cls, size_t *len_at, size_t *name_at_off) {
    *len_at = 60;
    switch (cls) {
    case 0x01: *name_at_off = 64; break;  /* FileDirectoryInformation */
    case 0x02: *name_at_off = 68; break;  /* FileFullDirectoryInformation */
    case 0x03: *name_at_off = 94; break;  /* FileBothDirectoryInformation */
    case 0x25: *name_at_off = 104; break; /* FileIdBothDirectoryInformation */
    case 0x26: *name_at_off = 80; break;  /* FileIdFullDirectoryInformation */
    case 0x0C:                            /* FileNamesInformation */
        *len_at = 8;
        *name_at_off = 12;
        break;
    default: *name_at_off = 0; break;
    }
}

size_t pa_smb2_find_names(const uint8_t *d, size_t n, uint8_t info_class, size_t max,
                          void (*fn)(void *ud, const char *name), void *ud) {
    size_t len_at, name_off, count = 0, pos = 0;
    entry_layout(info_class, &len_at, &name_off);
    if (!name_off) return 0;
    while (count < max && pos < n) {
        pa_cur e, lc, nc, s;
        uint32_t next, nlen;
        if (!at(d, n, pos, &e)) break;
        lc = e;
        if (!pa_cur_le32(&lc, &next) || !at(e.p, e.len, len_at, &nc) || !pa_cur_le32(&nc, &nlen)) break;
        pa_cur name = e;
        if (!pa_cur_skip(&name, name_off) || !pa_cur_sub(&name, nlen, &s)) break;
        char buf[PA_SMB2_NAME_MAX];
        pa_smb2_utf16(s.p, s.len, buf, sizeof buf);
        fn(ud, buf);
        count++;
        if (!next) break;
        pos += next;
    }
    return count;
}

size_t pa_smb2_validate_dialects(const uint8_t *d, size_t n, bool resp, uint16_t *out, size_t max) {
    pa_cur c;
    uint16_t count = 1, k = 0;
    if (!at(d, n, 22, &c) || (!resp && !pa_cur_le16(&c, &count))) return 0;
    while (k < count && k < max && pa_cur_le16(&c, &out[k])) k++;
    return k;
}

/* ---- names ---------------------------------------------------------------- */

const char *pa_smb2_cmd_name(uint16_t cmd) {
    static const char *const names[PA_SMB2_NCMDS] = {"Negotiate Protocol",
                                                     "Session Setup",
                                                     "Session Logoff",
                                                     "Tree Connect",
                                                     "Tree Disconnect",
                                                     "Create",
                                                     "Close",
                                                     "Flush",
                                                     "Read",
                                                     "Write",
                                                     "Lock",
                                                     "Ioctl",
                                                     "Cancel",
                                                     "KeepAlive",
                                                     "Find",
                                                     "Notify",
                                                     "GetInfo",
                                                     "SetInfo",
                                                     "Break"};
    return cmd < PA_SMB2_NCMDS ? names[cmd] : "unknown";
}

typedef struct code_name {
    uint32_t code;
    const char *name;
} code_name;

static const code_name nt_names[] = {
#define PA_NTSTATUS(code, name) {code, name},
#include "smb2_ntstatus.def"
#undef PA_NTSTATUS
};

static const code_name ioctl_names[] = {
#define PA_IOCTL(code, name) {code, name},
#include "smb2_ioctl.def"
#undef PA_IOCTL
};

/* nt_names is sorted by code: a binary search */
const char *pa_smb2_status_name(uint32_t status) {
    size_t lo = 0, hi = sizeof nt_names / sizeof nt_names[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (nt_names[mid].code == status) return nt_names[mid].name;
        if (nt_names[mid].code < status)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *pa_smb2_ioctl_name(uint32_t code) {
    for (size_t i = 0; i < sizeof ioctl_names / sizeof ioctl_names[0]; i++)
        if (ioctl_names[i].code == code) return ioctl_names[i].name;
    return NULL;
}

const char *pa_smb2_dialect_name(uint16_t dialect) {
    switch (dialect) {
    case 0x0202: return "SMB 2.0.2";
    case 0x0210: return "SMB 2.1";
    case 0x02FF: return "SMB2 wildcard";
    case 0x0222: return "SMB 2.2.2 (deprecated; should be 3.0)";
    case 0x0224: return "SMB 2.2.4 (deprecated; should be 3.0)";
    case 0x0300: return "SMB 3.0";
    case 0x0302: return "SMB 3.0.2";
    case 0x0310: return "SMB 3.1.0 (deprecated; should be 3.1.1)";
    case 0x0311: return "SMB 3.1.1";
    default: return "unknown";
    }
}

/* ---- SMB1 ----------------------------------------------------------------- */

bool pa_smb1_parse(const uint8_t *d, size_t n, uint8_t *cmd, uint32_t *status, bool *response) {
    pa_cur c = pa_cur_make(d, n);
    uint8_t m[4], flags;
    if (!pa_cur_copy(&c, m, 4) || m[0] != 0xFF || m[1] != 'S' || m[2] != 'M' || m[3] != 'B') return false;
    if (!pa_cur_u8(&c, cmd) || !pa_cur_le32(&c, status) || !pa_cur_u8(&c, &flags)) return false;
    *response = flags & 0x80;
    return n >= 32;
}

/* SMB1 commands whose parameter block starts with an AndX chain link */
static bool andx(uint8_t cmd) {
    return cmd == 0x24 || cmd == 0x2D || cmd == 0x2E || cmd == 0x2F || cmd == 0x73 || cmd == 0x74 || cmd == 0x75 ||
           cmd == 0xA2;
}

size_t pa_smb1_cmds(const uint8_t *d, size_t n, uint8_t *out, size_t max) {
    uint8_t cmd;
    uint32_t status;
    bool resp;
    size_t k = 0;
    if (!max || !pa_smb1_parse(d, n, &cmd, &status, &resp)) return 0;
    out[k++] = cmd;
    size_t off = 32;
    while (k < max && andx(cmd)) {
        pa_cur c;
        uint8_t wct, next, resv;
        uint16_t next_off;
        if (!at(d, n, off, &c) || !pa_cur_u8(&c, &wct) || wct < 2 || !pa_cur_u8(&c, &next) || !pa_cur_u8(&c, &resv) ||
            !pa_cur_le16(&c, &next_off))
            break;
        out[k++] = next;
        if (next == 0xFF || next_off <= off) break;
        off = next_off;
        cmd = next;
    }
    return k;
}

void pa_smb1_negotiate_dialects(const uint8_t *d, size_t n, uint32_t *count, bool *offers_smb2) {
    *count = 0;
    *offers_smb2 = false;
    pa_cur c;
    uint8_t wct;
    uint16_t bcc;
    if (!at(d, n, 32, &c) || !pa_cur_u8(&c, &wct) || !pa_cur_skip(&c, (size_t)wct * 2) || !pa_cur_le16(&c, &bcc))
        return;
    pa_cur_limit(&c, bcc);
    uint8_t fmt;
    while (pa_cur_u8(&c, &fmt) && fmt == 0x02) { /* a dialect string: 0x02 then NUL-terminated text */
        char s[32];
        size_t k = 0;
        uint8_t ch;
        while (pa_cur_u8(&c, &ch) && ch) {
            if (k + 1 < sizeof s) s[k++] = (char)ch;
        }
        s[k] = '\0';
        (*count)++;
        if (!strcmp(s, "SMB 2.002") || !strcmp(s, "SMB 2.???")) *offers_smb2 = true;
    }
}
