/* Ethernet II and IEEE 802.3 with 802.2 LLC / SNAP. */
#include "decode_internal.h"

void pa_dec_eth(pa_decoder *d, pa_cur c, pa_packet *p) {
    uint8_t dst[6], src[6];
    uint16_t type;
    pa_packet_layer(p, PA_P_ETH);
    if (!pa_cur_copy(&c, dst, 6) || !pa_cur_copy(&c, src, 6) || !pa_cur_be16(&c, &type)) {
        pa_packet_anom(p, PA_A_ETH_TRUNCATED);
        return;
    }
    /* The outermost Ethernet header names the hosts on the capture link;
     * an inner one (a bridged tunnel) does not replace it. */
    if (!p->has_eth) {
        p->has_eth = true;
        memcpy(p->eth_dst, dst, 6);
        memcpy(p->eth_src, src, 6);
    } else if (p->neth_inner < 2) {
        memcpy(p->eth_inner[p->neth_inner], dst, 6);
        memcpy(p->eth_inner[p->neth_inner] + 6, src, 6);
        p->eth_inner_type[p->neth_inner] = type;
        p->neth_inner++;
    }
    if (type < 0x0600) {
        /* 802.3: the field is a length; what follows is LLC. */
        pa_cur_limit(&c, type);
        pa_dec_llc(d, c, p);
        return;
    }
    pa_dispatch_ethertype(d, type, c, p);
}

void pa_dec_llc(pa_decoder *d, pa_cur c, pa_packet *p) {
    uint8_t dsap, ssap, ctrl;
    pa_packet_layer(p, PA_P_LLC);
    if (!p->llc_hdr) {
        p->llc_hdr = c.p;
        p->llc_caplen = (uint8_t)(c.len < 8 ? c.len : 8);
    }
    if (!pa_cur_u8(&c, &dsap) || !pa_cur_u8(&c, &ssap) || !pa_cur_u8(&c, &ctrl)) {
        pa_packet_anom(p, PA_A_LLC_TRUNCATED);
        return;
    }
    if (dsap == 0xAA && ssap == 0xAA) {
        uint8_t oui[3];
        uint16_t type;
        if (!pa_cur_copy(&c, oui, 3) || !pa_cur_be16(&c, &type)) {
            pa_packet_anom(p, PA_A_LLC_TRUNCATED);
            return;
        }
        if (oui[0] == 0 && oui[1] == 0 && oui[2] == 0x0c && type == 0x2000) {
            pa_packet_layer(p, PA_P_CDP);
            return;
        }
        if (oui[0] == 0 && oui[1] == 0 && oui[2] == 0x0c && type == 0x010b) {
            pa_packet_layer(p, PA_P_STP); /* Cisco PVST+ */
            return;
        }
        if (oui[0] == 0x00 && oui[1] == 0x40 && oui[2] == 0x96 && type == 0x0000) {
            pa_packet_layer(p, PA_P_WLCCP); /* Cisco Aironet: WLCCP between access points */
            return;
        }
        if (oui[0] == 0 && oui[1] == 0 && oui[2] == 0) {
            pa_dispatch_ethertype(d, type, c, p);
            return;
        }
        pa_packet_layer(p, PA_P_DATA);
        return;
    }
    if (dsap == 0x42) {
        pa_packet_layer(p, PA_P_STP);
        return;
    }
    if (c.len) pa_packet_layer(p, PA_P_DATA);
}

/* Cisco MetaData as carried in GRE (checked against tshark on tcpdump's
 * various_gre.pcap): the EtherType of what follows, then version, length,
 * option type and security group tag. */
void pa_dec_cmd(pa_decoder *d, pa_cur c, pa_packet *p) {
    uint16_t type;
    pa_packet_layer(p, PA_P_CMD);
    if (!pa_cur_be16(&c, &type) || !pa_cur_skip(&c, 6)) {
        pa_packet_anom(p, PA_A_ETH_TRUNCATED);
        return;
    }
    pa_dispatch_ethertype(d, type, c, p);
}
