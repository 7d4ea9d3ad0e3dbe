/* Values of the mndp.* display-filter fields (mndp_fields.def): the TLVs
 * walked again, each value as Wireshark adds it. */
#include "mndp_analyzer.h"

static size_t put_text(pa_field_frame *f, pa_cur v, pa_dvalue *out, size_t max) {
    char *slot = pa_field_slot(f);
    if (!slot) return 0;
    pa_mndp_text(v, slot, sizeof f->names[0][0]);
    return pa_put_str(out, max, slot);
}

/* The TLV type a field shows, 0 for the generic ones. */
static uint16_t tlv_of(pa_dfield field) {
    switch (field) {
    case PA_DF_MNDP_MAC: return PA_MNDP_T_MAC;
    case PA_DF_MNDP_IDENTITY: return PA_MNDP_T_IDENTITY;
    case PA_DF_MNDP_VERSION: return PA_MNDP_T_VERSION;
    case PA_DF_MNDP_PLATFORM: return PA_MNDP_T_PLATFORM;
    case PA_DF_MNDP_UPTIME: return PA_MNDP_T_UPTIME;
    case PA_DF_MNDP_SOFTWAREID: return PA_MNDP_T_SOFTWAREID;
    case PA_DF_MNDP_BOARD: return PA_MNDP_T_BOARD;
    case PA_DF_MNDP_UNPACK: return PA_MNDP_T_UNPACK;
    case PA_DF_MNDP_IPV6ADDRESS: return PA_MNDP_T_IPV6;
    case PA_DF_MNDP_INTERFACENAME: return PA_MNDP_T_INTERFACE;
    case PA_DF_MNDP_IPV4ADDRESS: return PA_MNDP_T_IPV4;
    default: return 0;
    }
}

/* One TLV's value for the field (a fixed-size one only at its size). */
static size_t value(pa_field_frame *f, uint16_t type, pa_cur v, pa_dvalue *out, size_t max) {
    uint8_t b[16];
    uint32_t up;
    switch (type) {
    case PA_MNDP_T_MAC: return v.len == 6 && pa_cur_copy(&v, b, 6) ? pa_put_addr(out, max, PA_FT_ETHER, b, 6) : 0;
    case PA_MNDP_T_IPV4: return v.len == 4 && pa_cur_copy(&v, b, 4) ? pa_put_addr(out, max, PA_FT_IPV4, b, 4) : 0;
    case PA_MNDP_T_IPV6: return v.len == 16 && pa_cur_copy(&v, b, 16) ? pa_put_addr(out, max, PA_FT_IPV6, b, 16) : 0;
    case PA_MNDP_T_UPTIME: return v.len == 4 && pa_cur_le32(&v, &up) ? pa_put_d(out, max, up) : 0;
    case PA_MNDP_T_UNPACK: return v.len == 1 && pa_cur_u8(&v, b) ? pa_put_u(out, max, b[0]) : 0;
    default: return put_text(f, v, out, max);
    }
}

size_t pa_mndp_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_packet *p = f->p;
    uint16_t seq, type;
    if (p->app != PA_P_MNDP || p->l4 != PA_P_UDP || p->is_fragment) return 0;
    if (!pa_mndp_looks(p->payload, p->payload_len)) return 0;
    if (field == PA_DF_MNDP) return pa_put_bool(out, max, true);
    pa_cur c = pa_cur_make(p->payload, p->payload_len), v;
    if (!pa_cur_skip(&c, 2) || !pa_cur_be16(&c, &seq)) return 0;
    if (field == PA_DF_MNDP_HEADER_SEQNO) return pa_put_u(out, max, seq);
    uint16_t want = tlv_of(field);
    size_t k = 0;
    while (k < max && pa_mndp_tlv_next(&c, &type, &v)) {
        if (field == PA_DF_MNDP_TLV_TYPE)
            k += pa_put_u(out + k, max - k, type);
        else if (field == PA_DF_MNDP_TLV_LENGTH)
            k += pa_put_u(out + k, max - k, v.len);
        else if (want && type == want)
            k += value(f, type, v, out + k, max - k);
    }
    return k;
}
