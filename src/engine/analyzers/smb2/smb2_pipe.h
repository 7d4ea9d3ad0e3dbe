/* Named pipes over SMB2: the one place where the bytes of a pipe opened on
 * the IPC$ tree leave the SMB2 analyzer (WRITE request data, READ response
 * data, FSCTL_PIPE_TRANSCEIVE input and output). It records the pipes and
 * their bytes and hands the bytes to the DCE-RPC analyzer (the pass's carry
 * hook, analyzer.h), as Wireshark hands pipe data to DCE/RPC; the DCE-RPC
 * state of each pipe lives here. */
#ifndef PA_SMB2_PIPE_H
#define PA_SMB2_PIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"
#include "htab.h"

#define PA_SMB2_MAX_PIPES 4096
#define PA_SMB2_PIPE_NAME 64

typedef struct pa_smb2_pipe {
    uint64_t key; /* unique per open pipe */
    char name[PA_SMB2_PIPE_NAME];
    uint64_t bytes[2], messages[2]; /* [0] client to server, [1] server to client */
    uint64_t first_frame, last_frame;
    void *carried; /* the DCE-RPC analyzer's state for the pipe (NULL: none yet) */
    bool cut;      /* a message longer than was kept: what follows is not handed on */
} pa_smb2_pipe;

typedef struct pa_smb2_pipes {
    pa_htab pipes;
    uint64_t overflow; /* bytes of pipes beyond the cap */
    uint64_t cut;      /* pipes whose DCE-RPC stopped at a message longer than was kept */
} pa_smb2_pipes;

/* Where pipe bytes go on: the pass's carry hook (NULL: nowhere). */
typedef struct pa_smb2_carry {
    void (*carry)(void *ud, int to, const pa_app_carried *c);
    void *ud;
    const pa_packet *p;
    uint32_t stream;
} pa_smb2_carry;

int pa_smb2_pipes_init(pa_smb2_pipes *pp);
void pa_smb2_pipes_free(pa_smb2_pipes *pp);

/* Bytes of an open pipe: name as opened (e.g. "srvsvc"), key unique per
 * open (the FileId with its session), to_client false for what the client
 * wrote, the frame and time that completed the SMB2 message carrying them.
 * data may hold fewer bytes than len when the message was cut
 * (PA_SMB2_MSG_KEEP): len is what the message said, and the pipe's
 * DCE-RPC stops there (its PDUs could not be found again). */
void pa_smb2_pipe_bytes(pa_smb2_pipes *pp, const pa_smb2_carry *to, const char *name, uint64_t key, bool to_client,
                        const uint8_t *data, size_t avail, size_t len, uint64_t frame);

#endif
