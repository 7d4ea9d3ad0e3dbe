/* SMB2/3 messages (MS-SMB2 2.2) and the NetBIOS session framing that
 * carries them on TCP 139 and 445 (RFC 1002 4.3, MS-SMB2 2.1): pure
 * functions over one message's bytes, every read through the cursor. */
#ifndef PA_SMB2_PARSE_H
#define PA_SMB2_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_SMB2_HDR_LEN 64
#define PA_SMB2_FLAG_RESPONSE 0x00000001u
#define PA_SMB2_FLAG_ASYNC 0x00000002u
#define PA_SMB2_FLAG_CHAINED 0x00000004u
#define PA_SMB2_FLAG_SIGNED 0x00000008u

#define PA_NT_STATUS_PENDING 0x00000103u
#define PA_NT_STATUS_BUFFER_OVERFLOW 0x80000005u
#define PA_NT_STATUS_MORE_PROCESSING 0xC0000016u

enum {
    PA_SMB2_NEGOTIATE = 0,
    PA_SMB2_SESSION_SETUP = 1,
    PA_SMB2_LOGOFF = 2,
    PA_SMB2_TREE_CONNECT = 3,
    PA_SMB2_TREE_DISCONNECT = 4,
    PA_SMB2_CREATE = 5,
    PA_SMB2_CLOSE = 6,
    PA_SMB2_FLUSH = 7,
    PA_SMB2_READ = 8,
    PA_SMB2_WRITE = 9,
    PA_SMB2_LOCK = 10,
    PA_SMB2_IOCTL = 11,
    PA_SMB2_CANCEL = 12,
    PA_SMB2_KEEPALIVE = 13,
    PA_SMB2_FIND = 14,
    PA_SMB2_NOTIFY = 15,
    PA_SMB2_GETINFO = 16,
    PA_SMB2_SETINFO = 17,
    PA_SMB2_BREAK = 18,
    PA_SMB2_NCMDS = 19
};

#define PA_FSCTL_PIPE_TRANSCEIVE 0x0011C017u
#define PA_FSCTL_VALIDATE_NEGOTIATE 0x00140204u

/* NBSS message types (RFC 1002 4.3.1) */
#define PA_NBSS_MESSAGE 0x00
#define PA_NBSS_KEEPALIVE 0x85

/* One NetBIOS session message header as Wireshark's NBSS dissector reads
 * it at the start of a segment: valid, or a "continuation" (the middle of
 * a message it cannot place). cifs: a session message holding an SMB
 * header, whose length is 24 bits (MS-SMB2 2.1 direct TCP). */
typedef struct pa_nbss_hdr {
    uint8_t type;
    uint32_t length; /* bytes after the 4-byte header */
} pa_nbss_hdr;

/* At a segment start: false when Wireshark calls it a continuation. */
bool pa_nbss_check(const uint8_t *d, size_t n, pa_nbss_hdr *h);
/* A header inside a segment or reassembly (the length only): needs 4
 * bytes; cifs selects the 24-bit length. */
bool pa_nbss_length(const uint8_t *d, size_t n, bool cifs, uint32_t *len);
/* Whether a payload at a message boundary carries an SMB header (0xFF,
 * 0xFE or 0xFD then "SMB") after a session message header. */
bool pa_nbss_smb(const uint8_t *d, size_t n, uint8_t *magic);

/* The SMB2 header (2.2.1). */
typedef struct pa_smb2_hdr {
    uint16_t credit_charge, cmd, credits;
    uint32_t status; /* responses; 0 in requests */
    uint32_t flags, next;
    uint64_t msg_id, async_id, sesid;
    uint32_t pid, tid; /* sync only */
} pa_smb2_hdr;

bool pa_smb2_parse_hdr(const uint8_t *d, size_t n, pa_smb2_hdr *h);

/* The transform header of an encrypted message (2.2.41). */
typedef struct pa_smb2_transform {
    uint32_t size;
    uint16_t flags;
    uint64_t sesid;
} pa_smb2_transform;

bool pa_smb2_parse_transform(const uint8_t *d, size_t n, pa_smb2_transform *t);

#define PA_SMB2_MAX_DIALECTS 16
#define PA_SMB2_NAME_MAX 256 /* UTF-8 bytes kept of a name or path */

/* What one command's body says, as far as the reports and fields use it.
 * Names are UTF-8, cut to fit. */
typedef struct pa_smb2_body {
    bool parsed; /* the body was read (else only the header counts) */
    /* NEGOTIATE */
    uint16_t ndialects, dialects[PA_SMB2_MAX_DIALECTS], dialect;
    uint16_t sec_mode;
    uint32_t capabilities;
    /* SESSION_SETUP */
    uint16_t session_flags;
    /* TREE_CONNECT */
    uint8_t share_type;
    /* CREATE, QUERY_DIRECTORY pattern (name) */
    uint32_t disposition, create_action;
    /* READ / WRITE / IOCTL / FIND / GETINFO / SETINFO / CLOSE */
    uint8_t fid[16];
    bool has_fid;
    uint32_t length; /* READ/WRITE request length, READ response data length, WRITE response count */
    uint64_t offset;
    uint32_t data_off, data_len; /* bytes carried (write data, read data, ioctl in/out), from the header start */
    uint32_t ctl_code;
    uint8_t info_class, info_type;
    uint32_t buf_off, buf_len;   /* GETINFO response output, SETINFO request input (from the header start) */
    char name[PA_SMB2_NAME_MAX]; /* create file name, tree path, find pattern */
    bool has_name;
} pa_smb2_body;

/* The body of the command at d (the header start, n bytes to the end of
 * this command). */
void pa_smb2_parse_body(const uint8_t *d, size_t n, const pa_smb2_hdr *h, pa_smb2_body *b);

/* The file names of a QUERY_DIRECTORY response's entries of the class its
 * request asked for: calls fn for each, up to max entries. */
size_t pa_smb2_find_names(const uint8_t *d, size_t n, uint8_t info_class, size_t max,
                          void (*fn)(void *ud, const char *name), void *ud);

/* The file name a GETINFO response (FileAllInformation, FileNameInformation)
 * or a SETINFO request (FileRenameInformation) carries in its buffer. */
bool pa_smb2_info_name(const uint8_t *d, size_t n, uint8_t info_type, uint8_t info_class, bool set, char *out,
                       size_t cap);

/* The dialects of a VALIDATE_NEGOTIATE_INFO request's input (resp false)
 * or the one of its response's output: how many were written to out. */
size_t pa_smb2_validate_dialects(const uint8_t *d, size_t n, bool resp, uint16_t *out, size_t max);

/* UTF-16LE to UTF-8, cut to fit (always terminated). */
void pa_smb2_utf16(const uint8_t *s, size_t n, char *out, size_t cap);

/* Names (Wireshark's) */
const char *pa_smb2_cmd_name(uint16_t cmd);       /* "Negotiate Protocol" ... "unknown-0x13" style */
const char *pa_smb2_status_name(uint32_t status); /* NULL when Wireshark has none */
const char *pa_smb2_ioctl_name(uint32_t code);    /* NULL when unknown */
const char *pa_smb2_dialect_name(uint16_t dialect);

/* SMB1 (MS-CIFS 2.2.3.1): the command byte of a header at d. */
bool pa_smb1_parse(const uint8_t *d, size_t n, uint8_t *cmd, uint32_t *status, bool *response);
/* The command of an SMB1 header at d, then each AndX command its blocks
 * chain (Wireshark shows each as smb.cmd, 0xFF ending the chain). */
size_t pa_smb1_cmds(const uint8_t *d, size_t n, uint8_t *out, size_t max);
/* The dialect strings of an SMB1 NEGOTIATE request: count, and whether one
 * offers SMB2 ("SMB 2.002" or "SMB 2.???"). */
void pa_smb1_negotiate_dialects(const uint8_t *d, size_t n, uint32_t *count, bool *offers_smb2);

#endif
