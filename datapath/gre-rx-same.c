/*
 * Copyright (c) 2026 The ovs-gre authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

#include <config.h>

#include "gre-rx-same.h"

#include "gre-header.h"
#include "gre-layout.h"

/* Clears the bytes in [ofs, ofs + n) of the byte mask 'm'. */
static void
mask_out(uint8_t *m, size_t ofs, size_t n)
{
    memset(m + ofs, 0, n);
}

/* Remembers in 'same' the outer header of 'packet', which has just passed
 * the full pop with the tunnel metadata in its 'md', the parse result
 * 'info' (whose layout says where the outer header ends) and 'port' with
 * 'policy'.  Leaves 'same' invalid if the header is too long to
 * remember. */
void
gre_rx_same_fill(struct gre_rx_same *same, const struct dp_packet *packet,
                 const struct gre_rx_info *info, struct gre_port *port,
                 const struct gre_port_policy *policy)
{
    const struct gre_layout *lay = &info->lay;
    const uint8_t *l3 = (const uint8_t *) dp_packet_data(packet) + lay->l3;
    uint8_t mask[GRE_RX_SAME_UNITS * 16];
    size_t len, n_units;

    same->valid = false;
    if (lay->inner <= lay->l3) {
        return;
    }
    len = lay->inner - lay->l3;
    n_units = DIV_ROUND_UP(len, 16);
    if (n_units > GRE_RX_SAME_UNITS
        || lay->l3 + n_units * 16 > dp_packet_size(packet)) {
        return;
    }

    memset(mask, 0xff, len);
    memset(mask + len, 0, sizeof mask - len);
    if (lay->ipv6) {
        /* Flow label (the low 20 bits of the first word) and payload
         * length. */
        mask[1] &= 0xf0;
        mask_out(mask, 2, 4);
    } else {
        mask_out(mask, offsetof(struct ip_header, ip_tot_len), 4);
        mask_out(mask, offsetof(struct ip_header, ip_csum), 2);
    }
    if (lay->csum) {
        mask_out(mask, lay->csum - lay->l3, 2);
    }
    if (lay->seq) {
        mask_out(mask, lay->seq - lay->l3, GRE_OPTION_LEN);
    }
    if (lay->ts) {
        mask_out(mask, lay->ts - lay->l3, 4);
    }

    memcpy(same->mask, mask, n_units * 16);
    memcpy(same->words, l3, n_units * 16);
    for (size_t i = 0; i < n_units; i++) {
        same->words[i] &= same->mask[i];
    }
    same->ipv6 = lay->ipv6;
    same->l3_ofs = lay->l3;
    same->l4_ofs = packet->l4_ofs;
    same->hlen = lay->inner;
    same->n_units = n_units;
    if (!lay->ipv6) {
        /* The masked copy has total length, identification and checksum
         * zero. */
        same->ip_sum = gre_csum_add(0, same->words, IP_HEADER_LEN);
    }
    same->seq_ofs = lay->seq ? lay->seq - lay->l3 : 0;
    same->gre_ofs = lay->gre - lay->l3;
    same->has_csum = info->has_csum;
    same->packet_type = info->packet_type;
    same->port = port;
    same->policy = *policy;
    memcpy(&same->tnl, &packet->md.tunnel, GRE_RX_TNL_LEN);
    same->valid = true;
}
