/* Named pipes over SMB2: the one place where the bytes of a pipe opened on
 * the IPC$ tree leave the SMB2 analyzer (WRITE request data, READ response
 * data, FSCTL_PIPE_TRANSCEIVE input and output). What carries DCE-RPC (or
 * anything else) over those pipes is not parsed here: this boundary records
 * the pipes and their bytes, and is where such a parser is handed them. */
#ifndef PA_SMB2_PIPE_H
#define PA_SMB2_PIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "htab.h"

#define PA_SMB2_MAX_PIPES 4096
#define PA_SMB2_PIPE_NAME 64

typedef struct pa_smb2_pipe {
    uint64_t key; /* unique per open pipe */
    char name[PA_SMB2_PIPE_NAME];
    uint64_t bytes[2], messages[2]; /* [0] client to server, [1] server to client */
    uint64_t first_frame, last_frame;
} pa_smb2_pipe;

typedef struct pa_smb2_pipes {
    pa_htab pipes;
    uint64_t overflow; /* bytes of pipes beyond the cap */
} pa_smb2_pipes;

int pa_smb2_pipes_init(pa_smb2_pipes *pp);
void pa_smb2_pipes_free(pa_smb2_pipes *pp);

/* Bytes of an open pipe: name as opened (e.g. "srvsvc"), key unique per
 * open (the FileId with its session), to_client false for what the client
 * wrote, the frame and time that completed the SMB2 message carrying them.
 * data may hold fewer bytes than len when the message was cut
 * (PA_SMB2_MSG_KEEP): len is what the message said. */
void pa_smb2_pipe_bytes(pa_smb2_pipes *pp, const char *name, uint64_t key, bool to_client, const uint8_t *data,
                        size_t avail, size_t len, uint64_t frame, int64_t ts_ns);

#endif
