/* NetBIOS datagrams and the SMB mailslot write inside (nbdgm_parse.h). */
#include "nbdgm_parse.h"

#include <string.h>

#include "cursor.h"
#include "nbns_parse.h"

#define SMB_HEADER 32
#define SMB_TRANS 0x25
#define TRANS_WORDS 14 /* a Transaction request's parameter words before its setup words */

const char *pa_nbdgm_type_name(unsigned type) {
    switch (type) {
    case PA_NBDGM_DIRECT_UNIQUE: return "Direct_unique datagram";
    case PA_NBDGM_DIRECT_GROUP: return "Direct_group datagram";
    case PA_NBDGM_BROADCAST: return "Broadcast datagram";
    case PA_NBDGM_ERROR: return "Datagram error";
    case PA_NBDGM_QUERY: return "Datagram query request";
    case PA_NBDGM_POSITIVE_QUERY: return "Datagram positive query response";
    case PA_NBDGM_NEGATIVE_QUERY: return "Datagram negative query response";
    default: return "Unknown";
    }
}

/* A string of at most `field` bytes (0: up to the end) ending at a NUL or
 * there, as text: printable ASCII kept, other bytes as '?' (Wireshark
 * shows them in CP437). Returns false when no NUL ended it within the
 * bytes (a stringz cut short). */
static bool read_text(pa_cur *c, size_t field, char *out, size_t outlen) {
    size_t w = 0, limit = field ? field : c->len;
    bool ended = false;
    for (size_t i = 0; i < limit; i++) {
        uint8_t b;
        if (!pa_cur_u8(c, &b)) break;
        if (b == 0) {
            ended = true;
            if (!field) break;
            continue;
        }
        if (ended) continue; /* a padded field's bytes after its NUL */
        if (w + 1 < outlen) out[w++] = (b >= 0x20 && b < 0x7f) ? (char)b : '?';
    }
    if (outlen) out[w] = '\0';
    return ended || field;
}

/* The Transaction name: ASCII, or UTF-16LE after a pad to an even offset
 * of the SMB message when flags2 says Unicode. */
static bool read_trans_name(pa_cur *c, size_t at, bool unicode, char *out, size_t outlen) {
    if (!unicode) return read_text(c, 0, out, outlen);
    if ((at & 1) && !pa_cur_skip(c, 1)) return false;
    size_t w = 0;
    for (;;) {
        uint16_t ch;
        if (!pa_cur_le16(c, &ch)) {
            out[w] = '\0';
            return false;
        }
        if (!ch) break;
        if (w + 1 < outlen) out[w++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
    }
    out[w] = '\0';
    return true;
}

/* Which protocol tshark hands a mailslot's data to (packet-smb-mailslot.c:
 * prefixes of the name after \MAILSLOT\). */
static pa_nbdgm_layer mailslot_layer(const char *slot, bool *lanman) {
    const char *s = slot + 10;
    *lanman = strncmp(s, "LANMAN", 6) == 0;
    if (strncmp(s, "BROWSE", 6) == 0 || *lanman) return PA_NBDGM_LAYER_BROWSER;
    if (strncmp(s, "NET", 3) == 0 || strncmp(s, "TEMP\\NETLOGON", 13) == 0 || strncmp(s, "MSSP", 4) == 0)
        return PA_NBDGM_LAYER_NETLOGON;
    return PA_NBDGM_LAYER_SMB;
}

/* An SMB message in the datagram: a Transaction request to a mailslot goes
 * on to its data; any other SMB message is just SMB. */
static pa_nbdgm_status parse_smb(const uint8_t *smb, size_t n, pa_nbdgm_msg *m) {
    pa_cur c = pa_cur_make(smb, n);
    uint8_t flags, wct, msc, sc, rsv;
    uint16_t flags2, bcc;
    if (!pa_cur_skip(&c, 4) || !pa_cur_u8(&c, &m->smb_command) || !pa_cur_skip(&c, 4) || !pa_cur_u8(&c, &flags) ||
        !pa_cur_le16(&c, &flags2) || !pa_cur_skip(&c, SMB_HEADER - 12))
        return PA_NBDGM_TRUNCATED;
    m->smb_response = (flags & 0x80) != 0;
    if (m->smb_command != SMB_TRANS || m->smb_response) return PA_NBDGM_OK;
    if (!pa_cur_u8(&c, &wct)) return PA_NBDGM_TRUNCATED;
    if (wct < TRANS_WORDS) return PA_NBDGM_OK; /* not a request's layout */
    /* total parameter and data counts, maxima, setup maximum, flags,
     * timeout: then the parameter and data counts and offsets */
    uint16_t tpc, tdc, mpc, mdc, tflags, rsv2, pc, po, dc, dof;
    uint32_t timeout;
    if (!pa_cur_le16(&c, &tpc) || !pa_cur_le16(&c, &tdc) || !pa_cur_le16(&c, &mpc) || !pa_cur_le16(&c, &mdc) ||
        !pa_cur_u8(&c, &msc) || !pa_cur_u8(&c, &rsv) || !pa_cur_le16(&c, &tflags) || !pa_cur_le32(&c, &timeout) ||
        !pa_cur_le16(&c, &rsv2) || !pa_cur_le16(&c, &pc) || !pa_cur_le16(&c, &po) || !pa_cur_le16(&c, &dc) ||
        !pa_cur_le16(&c, &dof) || !pa_cur_u8(&c, &sc) || !pa_cur_u8(&c, &rsv))
        return PA_NBDGM_TRUNCATED;
    /* the mailslot's setup words: opcode, priority, class */
    for (uint8_t i = 0; i < sc; i++) {
        uint16_t w;
        if (!pa_cur_le16(&c, &w)) return PA_NBDGM_TRUNCATED;
        if (i == 0) m->ms_opcode = w;
        if (i == 1) m->ms_priority = w;
        if (i == 2) m->ms_class = w;
    }
    if (!pa_cur_le16(&c, &bcc)) return PA_NBDGM_TRUNCATED;
    m->ms_size = bcc;
    char name[PA_NBDGM_SLOT];
    size_t at = (size_t)(c.p - smb);
    if (!read_trans_name(&c, at, (flags2 & 0x8000) != 0, name, sizeof name)) return PA_NBDGM_TRUNCATED;
    if (strncmp(name, "\\MAILSLOT\\", 10) != 0) return PA_NBDGM_OK;
    m->mailslot = true;
    memcpy(m->slot, name, sizeof m->slot);
    bool lanman;
    pa_nbdgm_layer layer = mailslot_layer(m->slot, &lanman);
    /* an empty write is an interim reply to tshark: no message follows */
    if (!dc) return PA_NBDGM_OK;
    if ((size_t)dof > n || dc > n - dof) return PA_NBDGM_TRUNCATED;
    m->layer = layer;
    if (layer != PA_NBDGM_LAYER_BROWSER) return PA_NBDGM_OK;
    m->has_browser = true;
    return pa_browser_parse(smb + dof, dc, lanman, &m->browser) ? PA_NBDGM_OK : PA_NBDGM_TRUNCATED;
}

static bool read_name(const uint8_t *p, size_t n, pa_cur *c, char *out, int *suffix) {
    return pa_nbns_read_name(p, n, c, out, PA_NBDGM_NAME, suffix);
}

pa_nbdgm_status pa_nbdgm_parse(const uint8_t *p, size_t n, pa_nbdgm_msg *out) {
    memset(out, 0, sizeof *out);
    out->source_suffix = out->dest_suffix = -1;
    pa_cur c = pa_cur_make(p, n);
    if (!pa_cur_u8(&c, &out->type) || out->type < PA_NBDGM_DIRECT_UNIQUE || out->type > PA_NBDGM_NEGATIVE_QUERY)
        return PA_NBDGM_NOT;
    if (!pa_cur_u8(&c, &out->flags) || !pa_cur_be16(&c, &out->id) || !pa_cur_copy(&c, out->src_ip, 4) ||
        !pa_cur_be16(&c, &out->src_port))
        return PA_NBDGM_NOT;
    switch (out->type) {
    case PA_NBDGM_ERROR:
        out->has_error = pa_cur_u8(&c, &out->error_code);
        return out->has_error ? PA_NBDGM_OK : PA_NBDGM_TRUNCATED;
    case PA_NBDGM_QUERY:
    case PA_NBDGM_POSITIVE_QUERY:
    case PA_NBDGM_NEGATIVE_QUERY:
        out->has_dest = read_name(p, n, &c, out->dest, &out->dest_suffix);
        return out->has_dest ? PA_NBDGM_OK : PA_NBDGM_TRUNCATED;
    default: break;
    }
    if (!pa_cur_be16(&c, &out->dgram_len) || !pa_cur_be16(&c, &out->pkt_offset)) return PA_NBDGM_TRUNCATED;
    out->has_len = true;
    if (!(out->has_source = read_name(p, n, &c, out->source, &out->source_suffix))) return PA_NBDGM_TRUNCATED;
    if (!(out->has_dest = read_name(p, n, &c, out->dest, &out->dest_suffix))) return PA_NBDGM_TRUNCATED;
    /* the user data: tshark's NetBIOS heuristics find SMB by its signature */
    static const uint8_t sig[4] = {0xff, 'S', 'M', 'B'};
    if (c.len < 4 || memcmp(c.p, sig, 4) != 0) return PA_NBDGM_OK;
    out->smb = true;
    out->layer = PA_NBDGM_LAYER_SMB;
    return parse_smb(c.p, c.len, out);
}

/* ---- the Browser protocol (packet-smb-browse.c's layouts) ---- */

const char *pa_browser_command_name(unsigned command) {
    switch (command) {
    case PA_BROWSER_HOST_ANNOUNCE: return "Host Announcement";
    case PA_BROWSER_REQUEST_ANNOUNCE: return "Request Announcement";
    case PA_BROWSER_ELECTION: return "Browser Election Request";
    case PA_BROWSER_BACKUP_REQUEST: return "Get Backup List Request";
    case PA_BROWSER_BACKUP_RESPONSE: return "Get Backup List Response";
    case PA_BROWSER_BECOME_BACKUP: return "Become Backup Browser";
    case PA_BROWSER_DOMAIN_ANNOUNCE: return "Domain/Workgroup Announcement";
    case PA_BROWSER_MASTER_ANNOUNCE: return "Master Announcement";
    case PA_BROWSER_RESET_STATE: return "Reset Browser State Announcement";
    case PA_BROWSER_LOCAL_MASTER_ANNOUNCE: return "Local Master Announcement";
    default: return "Unknown command";
    }
}

const char *pa_browser_windows_version(unsigned major, unsigned minor) {
    if (major == 6 && minor == 1) return "Windows 7 or Windows Server 2008 R2";
    if (major == 6 && minor == 0) return "Windows Vista or Windows Server 2008";
    if (major == 5 && minor == 2) return "Windows Server 2003 R2 or Windows Server 2003";
    if (major == 5 && minor == 1) return "Windows XP";
    if (major == 5 && minor == 0) return "Windows 2000";
    return "";
}

const char *pa_browser_server_type_name(unsigned bit) {
    static const char *const names[32] = {"Workstation",
                                          "Server",
                                          "SQL Server",
                                          "Domain Controller",
                                          "Backup Controller",
                                          "Time Source",
                                          "Apple Server",
                                          "Novell Server",
                                          "Domain Member Server",
                                          "Print Queue Server",
                                          "Dialin Server",
                                          "Xenix Server",
                                          "NT Workstation",
                                          "Windows for Workgroups",
                                          NULL,
                                          "NT Server",
                                          "Potential Browser",
                                          "Backup Browser",
                                          "Master Browser",
                                          "Domain Master Browser",
                                          "OSF",
                                          "VMS",
                                          "Windows 95 or above",
                                          "DFS server",
                                          NULL,
                                          NULL,
                                          NULL,
                                          NULL,
                                          NULL,
                                          NULL,
                                          "Local List Only",
                                          "Domain Enum"};
    return bit < 32 ? names[bit] : NULL;
}

void pa_browser_roles(uint32_t type, char *out, size_t outlen) {
    size_t w = 0;
    if (!outlen) return;
    out[0] = '\0';
    for (unsigned b = 0; b < 32; b++) {
        const char *s = pa_browser_server_type_name(b);
        if (!(type & (1u << b)) || !s) continue;
        size_t k = strlen(s);
        if (w + k + 3 >= outlen) break;
        if (w) {
            out[w++] = ',';
            out[w++] = ' ';
        }
        memcpy(out + w, s, k);
        w += k;
        out[w] = '\0';
    }
}

/* Host, domain and local master announcements to \MAILSLOT\BROWSE. */
static bool announce_browse(pa_cur *c, pa_browser_msg *b) {
    if (!pa_cur_u8(c, &b->update_count) || !pa_cur_le32(c, &b->period_ms)) return false;
    if (c->len < 16) return false;
    (void)read_text(c, 16, b->server, sizeof b->server);
    if (!pa_cur_u8(c, &b->os_major) || !pa_cur_u8(c, &b->os_minor) || !pa_cur_le32(c, &b->server_type)) return false;
    b->has_announce = true;
    uint8_t sig_lo, sig_hi;
    if (!pa_cur_peek_u8(c, 2, &sig_lo) || !pa_cur_peek_u8(c, 3, &sig_hi)) return false;
    /* a workgroup announcement may hold 4 other bytes where the version is */
    if (b->command == PA_BROWSER_DOMAIN_ANNOUNCE && (sig_lo | sig_hi << 8) != 0xAA55) {
        if (!pa_cur_skip(c, 4)) return false;
    } else {
        if (!pa_cur_u8(c, &b->proto_major) || !pa_cur_u8(c, &b->proto_minor) || !pa_cur_le16(c, &b->signature))
            return false;
        b->has_proto_version = true;
    }
    return read_text(c, 0, b->comment, sizeof b->comment);
}

/* The same announcements to \MAILSLOT\LANMAN, in the older layout. */
static bool announce_lanman(pa_cur *c, pa_browser_msg *b) {
    uint16_t period_s;
    if (!pa_cur_u8(c, &b->update_count) || !pa_cur_le32(c, &b->server_type) || !pa_cur_u8(c, &b->os_major) ||
        !pa_cur_u8(c, &b->os_minor) || !pa_cur_le16(c, &period_s))
        return false;
    b->period_ms = (uint32_t)period_s * 1000u;
    b->has_announce = true;
    if (!read_text(c, 0, b->server, sizeof b->server)) return false;
    return read_text(c, 0, b->comment, sizeof b->comment);
}

bool pa_browser_parse(const uint8_t *p, size_t n, bool lanman, pa_browser_msg *out) {
    memset(out, 0, sizeof *out);
    out->lanman = lanman;
    pa_cur c = pa_cur_make(p, n);
    if (!pa_cur_u8(&c, &out->command)) return false;
    bool announce = out->command == PA_BROWSER_HOST_ANNOUNCE || out->command == PA_BROWSER_DOMAIN_ANNOUNCE ||
                    out->command == PA_BROWSER_LOCAL_MASTER_ANNOUNCE;
    if (announce) return lanman ? announce_lanman(&c, out) : announce_browse(&c, out);
    if (lanman) return true; /* tshark reads only announcements there */
    switch (out->command) {
    case PA_BROWSER_REQUEST_ANNOUNCE: /* unused flags, then the computer to answer */
        return pa_cur_skip(&c, 1) && read_text(&c, 0, out->server, sizeof out->server);
    case PA_BROWSER_ELECTION:
        if (!pa_cur_u8(&c, &out->election_version) || !pa_cur_le32(&c, &out->election_criteria) ||
            !pa_cur_le32(&c, &out->uptime_ms) || !pa_cur_skip(&c, 4))
            return false;
        out->has_election = true;
        return read_text(&c, 0, out->server, sizeof out->server);
    case PA_BROWSER_BACKUP_REQUEST: return pa_cur_u8(&c, &out->backup_count) && pa_cur_le32(&c, &out->backup_token);
    case PA_BROWSER_BACKUP_RESPONSE:
        if (!pa_cur_u8(&c, &out->backup_count) || !pa_cur_le32(&c, &out->backup_token)) return false;
        for (uint8_t i = 0; i < out->backup_count; i++) {
            char skip[PA_BROWSER_TEXT];
            if (!read_text(&c, 0, i ? skip : out->server, PA_BROWSER_TEXT)) return false;
        }
        return true;
    case PA_BROWSER_MASTER_ANNOUNCE: /* the master browser's name */
        return read_text(&c, 0, out->comment, sizeof out->comment);
    case PA_BROWSER_BECOME_BACKUP: /* the browser to promote */
        return read_text(&c, 0, out->server, sizeof out->server);
    case PA_BROWSER_RESET_STATE: return pa_cur_skip(&c, 1);
    default: return true;
    }
}
