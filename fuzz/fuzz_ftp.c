/* fuzz_ftp: one connection's segments through the FTP control-channel
 * tracker (lines across segments, multi-line replies, pipelined commands,
 * preliminary replies, logins, holes and resynchronisation), with the
 * per-frame view Wireshark shows, then the end of the connection and of the
 * pass. Input: segment records (fuzz_segments.h), closing with FIN. */
#include <stdlib.h>
#include <string.h>

#include "ftp_track.h"
#include "fuzz.h"
#include "fuzz_segments.h"

static void check_text(const char *s, size_t size) {
    if (strnlen(s, size) >= size) __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_ftp_stats st;
    if (pa_ftp_init(&st)) return 0;
    pa_ftp_flow *f = NULL;
    pa_fuzz_segs segs = pa_fuzz_segs_make(data, size, 21, PA_TCP_FIN);
    pa_packet p;
    for (int side = 0; side < 2; side++) {
        pa_fuzz_syn(&segs, &p, side);
        pa_ftp_segment(&st, &f, &p, side, NULL, NULL);
    }
    int side;
    while (pa_fuzz_next_segment(&segs, &p, &side)) {
        pa_ftp_frame view;
        memset(&view, 0, sizeof view);
        pa_ftp_segment(&st, &f, &p, side, NULL, &view);
        if (view.present) {
            check_text(view.command, sizeof view.command);
            check_text(view.arg, sizeof view.arg);
            if (view.has_code && view.code > 999) __builtin_trap();
        }
    }
    pa_ftp_finish_flow(&st, f);
    pa_ftp_finish(&st);
    /* every command is answered, unanswered or given up; replies are counted once */
    if (st.ntx + st.tx_dropped != st.commands && st.commands < PA_FTP_MAX_TX) __builtin_trap();
    uint64_t classes = 0;
    for (int k = 1; k < 6; k++) classes += st.reply_class[k];
    if (classes != st.replies || st.logins_failed + st.logins_ok > st.commands) __builtin_trap();
    for (size_t k = 0; k < st.ntx; k++) {
        check_text(st.tx[k].verb, sizeof st.tx[k].verb);
        check_text(st.tx[k].arg, sizeof st.tx[k].arg);
        if (!strcmp(st.tx[k].verb, "PASS") && st.tx[k].arg[0]) __builtin_trap(); /* never a password */
        if (k && st.tx[k - 1].cmd_frame > st.tx[k].cmd_frame) __builtin_trap();
    }
    pa_ftp_free_flow(f);
    pa_ftp_stats_free(&st);
    return 0;
}
