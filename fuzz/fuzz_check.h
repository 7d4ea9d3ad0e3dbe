/* Invariants every decoded packet must satisfy, checked by the decoder
 * targets after each frame: a violation aborts, so libFuzzer records it like
 * a sanitizer report. */
#ifndef PA_FUZZ_CHECK_H
#define PA_FUZZ_CHECK_H

#include "decode.h"
#include "detect.h"
#include "fuzz.h"
#include "wireless.h"

/* True when [p, p + n) lies inside [base, base + len). */
static inline int pa_fuzz_within(const uint8_t *p, size_t n, const uint8_t *base, size_t len) {
    return p >= base && (size_t)(p - base) <= len && n <= len - (size_t)(p - base);
}

/* Checks p after pa_decode_frame over frame (caplen bytes) with decoder d,
 * and runs the pure helpers that later stages call on decoded packets. */
static inline void pa_fuzz_check_packet(const pa_decoder *d, const uint8_t *frame, const pa_packet *p) {
    PA_FUZZ_CHECK(p->nlayers <= PA_MAX_LAYERS);
    for (uint8_t i = 0; i < p->nlayers; i++) PA_FUZZ_CHECK(p->layers[i] < PA_P_COUNT);
    PA_FUZZ_CHECK(p->nanom <= PA_MAX_PKT_ANOM);
    for (uint8_t i = 0; i < p->nanom; i++) PA_FUZZ_CHECK(p->anom[i] < PA_A_COUNT);
    PA_FUZZ_CHECK(p->nvlan <= PA_MAX_VLAN_TAGS);
    PA_FUZZ_CHECK(p->encap_depth <= PA_MAX_ENCAP_DEPTH);
    PA_FUZZ_CHECK(p->ip_ver == 0 || p->ip_ver == 4 || p->ip_ver == 6);
    PA_FUZZ_CHECK(p->l4 < PA_P_COUNT);
    if (p->l4 == PA_P_TCP) PA_FUZZ_CHECK(p->tcp.nsack <= 4);

    /* The payload borrows the frame or the reassembly buffer, never more. */
    if (p->payload) {
        PA_FUZZ_CHECK(pa_fuzz_within(p->payload, p->payload_len, frame, p->caplen) ||
                      pa_fuzz_within(p->payload, p->payload_len, d->reasm, sizeof d->reasm));
        /* Touch every byte: AddressSanitizer then vouches for the range too. */
        volatile uint8_t sum = 0;
        for (uint32_t i = 0; i < p->payload_len; i++) sum = (uint8_t)(sum + p->payload[i]);
        (void)sum;
    } else {
        PA_FUZZ_CHECK(p->payload_len == 0);
    }

    /* The headers kept for the display filters lie in the frame or the
     * reassembly buffer, and read again as the decoders read them. */
    const uint8_t *hdr[3] = {p->capwap_hdr, p->wlan_hdr, p->llc_hdr};
    const size_t hlen[3] = {p->capwap_caplen, p->wlan_caplen, p->llc_caplen};
    for (int i = 0; i < 3; i++)
        if (hdr[i])
            PA_FUZZ_CHECK(pa_fuzz_within(hdr[i], hlen[i], frame, p->caplen) ||
                          pa_fuzz_within(hdr[i], hlen[i], d->reasm, sizeof d->reasm));
    pa_capwap_hdr ch;
    if (p->capwap_hdr) (void)pa_capwap_parse(p->capwap_hdr, p->capwap_caplen, true, &ch);
    pa_wlan_hdr wh;
    if (p->wlan_hdr && pa_wlan_parse(p->wlan_hdr, p->wlan_caplen, p->wlan_fc_swapped, &wh)) {
        PA_FUZZ_CHECK(wh.len <= PA_WLAN_MAX_HDR && wh.len <= p->wlan_caplen && wh.naddr <= 4);
        pa_wlan_roles r;
        pa_wlan_roles_of(&wh, &r);
        pa_wlan_msdu m[8];
        size_t k = pa_wlan_amsdu(p->wlan_hdr + wh.len, p->wlan_caplen - wh.len, m, 8);
        for (size_t i = 0; i < k; i++) PA_FUZZ_CHECK(pa_fuzz_within(m[i].msdu, m[i].len, p->wlan_hdr, p->wlan_caplen));
    }

    char s[64];
    pa_addr_str(&p->src, s, sizeof s);
    pa_addr_str(&p->dst, s, sizeof s);
    pa_addr_str(&p->outer_src, s, sizeof s);
    pa_addr_str(&p->outer_dst, s, sizeof s);
    /* pa_addr_str promises 46 bytes are enough. */
    char small[46];
    pa_addr_str(&p->src, small, sizeof small);
    pa_mac_str(p->eth_src, s, sizeof s);
    for (uint8_t i = 0; i < p->nlayers; i++) {
        (void)pa_proto_name((pa_proto)p->layers[i]);
        (void)pa_proto_longname((pa_proto)p->layers[i]);
    }
    for (uint8_t i = 0; i < p->nanom; i++) {
        (void)pa_anom_name((pa_anom)p->anom[i]);
        (void)pa_anom_desc((pa_anom)p->anom[i]);
    }
    if (p->payload_len && (p->l4 == PA_P_TCP || p->l4 == PA_P_UDP)) PA_FUZZ_CHECK(pa_app_detect(p) < PA_P_COUNT);
    PA_FUZZ_CHECK(pa_app_by_port(p->l4, p->sport, p->dport) < PA_P_COUNT);
    (void)pa_linktype_name(p->linktype);
}

#endif
