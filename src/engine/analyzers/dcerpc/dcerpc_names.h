/* Names Wireshark 4.0 gives DCE-RPC values: packet types, bind results and
 * reasons, fault statuses, and the interfaces (by abstract syntax UUID and
 * major version) with their operations. */
#ifndef PA_DCERPC_NAMES_H
#define PA_DCERPC_NAMES_H

#include <stdint.h>

typedef struct pa_dcerpc_iface {
    const char *uuid;       /* text form */
    uint16_t ver;           /* major version */
    const char *name;       /* Wireshark's short name */
    const char *const *ops; /* operation names by opnum (NULL: none known) */
    uint16_t nops;
} pa_dcerpc_iface;

const char *pa_dcerpc_ptype_name(uint8_t ptype);      /* "Bind_ack"; NULL unknown */
const char *pa_dcerpc_ack_result_name(uint16_t r);    /* "Provider rejection" */
const char *pa_dcerpc_ack_reason_name(uint16_t r);    /* "Abstract syntax not supported" */
const char *pa_dcerpc_reject_reason_name(uint16_t r); /* bind_nak */
const char *pa_dcerpc_status_name(uint32_t status);   /* "nca_op_rng_error"; NULL unknown */
/* The interface a context's abstract syntax names (NULL: unknown). */
const pa_dcerpc_iface *pa_dcerpc_iface_find(const uint8_t uuid[16], uint16_t ver);
/* An operation's name, or NULL when the interface has none for it. */
const char *pa_dcerpc_op_name(const pa_dcerpc_iface *i, uint16_t opnum);

#endif
