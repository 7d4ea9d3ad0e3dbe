/* FTP: the line functions, the engine's figures on the generated captures
 * (tests/support/ftp_scenarios.c, whose frames and pairs compare_ftp.mjs
 * also holds against tshark), naming by bytes not port, the tool, and
 * display filters keeping whole command/reply transactions
 * (docs/DISPLAY_FILTERS.md).
 * Usage: test_ftp DIR (written by pa-ftp-scenarios) */
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "engine.h"
#include "tool_common.h"

static const char *dir;

static const uint8_t *u(const char *s) { return (const uint8_t *)s; }

static void test_lines(void) {
    pa_ftp_command c;
    CHECK(pa_ftp_parse_command(u("RETR file name.txt"), 18, &c) && !strcmp(c.verb, "RETR"));
    CHECK(c.arg_len == 13 && !memcmp(c.arg, "file name.txt", 13));
    CHECK(pa_ftp_parse_command(u("pwd"), 3, &c) && !strcmp(c.verb, "PWD") && c.arg_len == 0);
    CHECK(pa_ftp_parse_command(u("TYPE   I"), 8, &c) && c.arg_len == 1 && c.arg[0] == 'I');
    CHECK(!pa_ftp_parse_command(u("RE"), 2, &c));          /* too short */
    CHECK(!pa_ftp_parse_command(u("RETRIEVE x"), 10, &c)); /* too long */
    CHECK(!pa_ftp_parse_command(u("RET1 x"), 6, &c));
    CHECK(!pa_ftp_parse_command(u("220 Ready"), 9, &c));
    CHECK(pa_ftp_known_verb("EPSV") && pa_ftp_known_verb("XRMD") && pa_ftp_known_verb("CCC"));
    CHECK(!pa_ftp_known_verb("EHLO") && !pa_ftp_known_verb("XYZZ"));
    bool more;
    CHECK(pa_ftp_reply_code(u("220 Ready"), 9, &more) == 220 && !more);
    CHECK(pa_ftp_reply_code(u("211-Features:"), 13, &more) == 211 && more);
    CHECK(pa_ftp_reply_code(u("200"), 3, &more) == 200 && !more);
    CHECK(pa_ftp_reply_code(u("600 x"), 5, &more) == -1);
    CHECK(pa_ftp_reply_code(u("099 x"), 5, &more) == -1);
    CHECK(pa_ftp_reply_code(u("20 x"), 4, &more) == -1);
    CHECK(pa_ftp_reply_code(u("2000 x"), 6, &more) == -1);
    CHECK(pa_ftp_reply_code(u(" EPRT"), 5, &more) == -1);

    /* Wireshark's view of a segment's first line */
    pa_ftp_ws_line w;
    const char *seg = "RETR a b\r\nNOOP\r\n";
    pa_ftp_ws_first_line(u(seg), strlen(seg), true, &w);
    CHECK(w.has_command && w.command_len == 4 && w.has_arg && w.arg_len == 3 && !memcmp(w.arg, "a b", 3));
    pa_ftp_ws_first_line(u("R"), 1, true, &w);
    CHECK(w.has_command && w.command_len == 1 && !w.has_arg);
    pa_ftp_ws_first_line(u("211-Features:\r\n EPRT\r\n"), 22, false, &w);
    CHECK(w.has_code && w.code == 211 && w.arg_len == 9 && !memcmp(w.arg, "Features:", 9));
    pa_ftp_ws_first_line(u(" MDTM\r\n211 End\r\n"), 16, false, &w);
    CHECK(!w.has_code && w.has_arg && w.arg_len == 5);
    pa_ftp_ws_first_line(u("200\r\n"), 5, false, &w);
    CHECK(w.has_code && w.code == 200 && !w.has_arg);
    pa_ftp_ws_first_line(u("999x"), 4, false, &w); /* any three digits are a code to Wireshark */
    CHECK(w.has_code && w.code == 999 && !w.has_arg);

    /* naming a flow FTP by its bytes */
    CHECK(pa_ftp_looks_greeting(u("220 (vsFTPd 3.0.3)\r\n"), 20));
    CHECK(pa_ftp_looks_greeting(u("220-Welcome\r\n"), 13));
    CHECK(!pa_ftp_looks_greeting(u("220 mx.example.com ESMTP Postfix\r\n"), 34));
    CHECK(!pa_ftp_looks_greeting(u("220 ready"), 9)); /* no line end yet */
    CHECK(!pa_ftp_looks_greeting(u("200 OK\r\n"), 8));
    CHECK(!pa_ftp_looks_greeting(u("220\x01\x02\r\n"), 7));
    CHECK(pa_ftp_looks_client(u("FEAT\r\n"), 6));
    CHECK(pa_ftp_looks_client(u("PASV\r\n"), 6));
    CHECK(!pa_ftp_looks_client(u("USER bob\r\n"), 10)); /* POP3 has USER too */
    CHECK(!pa_ftp_looks_client(u("feat\r\n"), 6));
    CHECK(!pa_ftp_looks_client(u("EHLO x\r\n"), 8));
}

static pa_model *analyze_filtered(const char *name, const char *filter) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDONLY);
    struct stat st;
    uint8_t head[16] = {0};
    if (fd < 0 || fstat(fd, &st) != 0 || pread(fd, head, sizeof head, 0) < 4) {
        fprintf(stderr, "cannot read %s\n", path);
        return NULL;
    }
    pa_capfmt fmt = pa_capfmt_detect(head, sizeof head);
    char err[256];
    pa_dfilter *df = NULL;
    if (filter && !(df = pa_dfilter_compile(filter, err, sizeof err))) {
        fprintf(stderr, "%s: %s\n", filter, err);
        close(fd);
        return NULL;
    }
    pa_engine_opts o = {.display_filter = df, .display_filter_text = filter};
    pa_model *m = NULL;
    pa_status rc = pa_engine_analyze(fd, (uint64_t)st.st_size, &fmt, &o, &m, err, sizeof err);
    pa_dfilter_free(df);
    close(fd);
    if (rc != PA_OK) {
        fprintf(stderr, "%s: %s\n", name, err);
        return NULL;
    }
    return m;
}

static pa_model *analyze(const char *name) { return analyze_filtered(name, NULL); }

static const pa_ftp_tx *tx_of(const pa_model *m, const char *verb, int nth) {
    for (size_t i = 0; i < m->ftp.ntx; i++)
        if (!strcmp(m->ftp.tx[i].verb, verb) && nth-- == 0) return &m->ftp.tx[i];
    return NULL;
}

static void test_scenarios(void) {
    pa_model *m = analyze("ftp_scenarios.pcap");
    CHECK(m != NULL);
    if (!m) return;
    const pa_ftp_stats *f = &m->ftp;
    /* counted by hand from ftp_scenarios.c */
    CHECK(f->sessions == 4);
    CHECK(f->commands == 50);
    CHECK(f->replies == 58);
    CHECK(f->greetings == 4);
    CHECK(f->preliminary == 5);
    CHECK(f->reply_class[1] == 5 && f->reply_class[2] == 28 && f->reply_class[3] == 7 && f->reply_class[4] == 6 &&
          f->reply_class[5] == 12);
    CHECK(f->reply_code[530] == 4 && f->reply_code[226] == 3 && f->reply_code[421] == 1);
    CHECK(f->unanswered == 1 && f->orphan_replies == 0 && f->bad_lines == 0 && f->gaps == 0);
    CHECK(f->logins_failed == 4 && f->logins_ok == 2);
    CHECK(f->ntx == 50 && f->tx_dropped == 0);
    /* pairs in command order */
    for (size_t i = 1; i < f->ntx; i++) CHECK(f->tx[i - 1].cmd_frame < f->tx[i].cmd_frame);
    /* the pipelined PASV, SIZE, MDTM get their own replies in order */
    const pa_ftp_tx *pasv = tx_of(m, "PASV", 0), *size = tx_of(m, "SIZE", 0), *mdtm = tx_of(m, "MDTM", 0);
    CHECK(pasv && pasv->code == 227 && size && size->code == 213 && mdtm && mdtm->code == 550);
    if (pasv && size && mdtm) {
        CHECK(pasv->cmd_frame + 1 == size->cmd_frame && size->cmd_frame + 1 == mdtm->cmd_frame);
        CHECK(pasv->reply_frame + 1 == size->reply_frame && size->reply_frame + 1 == mdtm->reply_frame);
        CHECK(pasv->rt_ns == 11000000 && size->rt_ns == 11000000 && mdtm->rt_ns == 11000000);
    }
    /* a preliminary 150 does not answer: the final 226 does, 310 ms later */
    const pa_ftp_tx *retr = tx_of(m, "RETR", 0);
    CHECK(retr && retr->code == 226 && retr->prelim_code == 150 && retr->rt_ns == 310000000 &&
          retr->prelim_ns == 10000000 && !strcmp(retr->arg, "notes.txt"));
    /* a multi-line reply across two segments, a reply cut in two: placed at
     * the frame that completes it, begun in the one before */
    const pa_ftp_tx *feat = tx_of(m, "FEAT", 0), *cwd = tx_of(m, "CWD", 0);
    CHECK(feat && feat->code == 211 && feat->reply_frame == feat->reply_start_frame + 1 && feat->rt_ns == 7000000);
    CHECK(cwd && cwd->code == 250 && cwd->reply_frame == cwd->reply_start_frame + 1);
    /* a password is never kept */
    for (size_t i = 0; i < f->ntx; i++)
        if (!strcmp(f->tx[i].verb, "PASS")) CHECK(f->tx[i].arg[0] == '\0');
    /* 421 answers NOOP on the IPv6 connection (it is not a greeting there) */
    const pa_ftp_tx *noop = tx_of(m, "NOOP", 1);
    CHECK(noop && noop->code == 421 && noop->server.family == 6);
    const pa_ftp_tx *acct = tx_of(m, "ACCT", 0);
    CHECK(acct && acct->code == 230);
    /* the LIST of the last connection was never answered */
    const pa_ftp_tx *list = tx_of(m, "LIST", 1);
    CHECK(list && list->rt_ns == -1 && list->reply_frame == 0);
    /* failed logins per client and server */
    size_t pairs = 0;
    for (size_t r = 0; r < f->logins.count; r++) {
        const pa_ftp_login_pair *l = pa_htab_rec(&f->logins, r);
        pairs++;
        if (l->client.b[3] == 1 && l->client.family == 4)
            CHECK(l->failed == 1 && l->ok == 1 && !strcmp(l->user, "alice"));
        if (l->client.b[3] == 2 && l->client.family == 4)
            CHECK(l->failed == 3 && l->ok == 0 && !strcmp(l->user, "admin"));
    }
    CHECK(pairs == 3);
    /* per server: three IPv4 sessions, one IPv6 */
    CHECK(f->servers.count == 2);
    for (size_t r = 0; r < f->servers.count; r++) {
        const pa_ftp_server *s = pa_htab_rec(&f->servers, r);
        CHECK(s->port == 21);
        if (s->addr.family == 4)
            CHECK(s->sessions == 3 && s->commands == 47 && s->logins_failed == 4 && s->unanswered == 1);
        else
            CHECK(s->sessions == 1 && s->commands == 3 && s->logins_ok == 1);
    }
    int stor = 0;
    for (size_t i = 0; i < f->nverbs; i++)
        if (!strcmp(f->verbs[i].verb, "STOR")) stor = (int)f->verbs[i].count;
    CHECK(stor == 4);
    pa_model_free(m);
}

static void test_edge(void) {
    pa_model *m = analyze("ftp_edge.pcap");
    CHECK(m != NULL);
    if (!m) return;
    const pa_ftp_stats *f = &m->ftp;
    CHECK(f->commands == 5 && f->replies == 7 && f->preliminary == 1 && f->logins_ok == 1);
    /* two commands in one segment, two replies in one */
    const pa_ftp_tx *user = tx_of(m, "USER", 0), *pass = tx_of(m, "PASS", 0);
    CHECK(user && pass && user->cmd_frame == pass->cmd_frame && user->code == 331 && pass->code == 230);
    CHECK(user && pass && user->reply_frame == pass->reply_frame && !strcmp(user->arg, "dave") && !pass->arg[0]);
    /* a command cut in two is one command, placed where it ends */
    const pa_ftp_tx *retr = tx_of(m, "RETR", 0);
    CHECK(retr && retr->code == 550 && !strcmp(retr->arg, "file.txt") && user &&
          retr->cmd_frame == user->cmd_frame + 3);
    /* 150 and 226 in one segment: 226 answers */
    const pa_ftp_tx *list = tx_of(m, "LIST", 0);
    CHECK(list && list->code == 226 && list->prelim_code == 150 && list->prelim_frame == list->reply_frame);
    CHECK(f->ntx == 5 && f->unanswered == 0);
    pa_model_free(m);
}

static void test_ports(void) {
    pa_model *m = analyze("ftp_ports.pcap");
    CHECK(m != NULL);
    if (!m) return;
    CHECK(m->ftp.sessions == 1 && m->ftp.commands == 2 && m->ftp.logins_ok == 1);
    const pa_flow **v;
    size_t n = pa_model_flows(m, 6, &v);
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        uint16_t port = v[i]->key.port_a < v[i]->key.port_b ? v[i]->key.port_a : v[i]->key.port_b;
        if (port == 2121) {
            CHECK(v[i]->app == PA_P_FTP);
            seen++;
        }
        if (port == 21) {
            CHECK(v[i]->app == PA_P_SSH);
            seen++;
        }
        if (port == 25) {
            CHECK(v[i]->app == PA_P_SMTP);
            seen++;
        }
    }
    CHECK(seen == 3);
    free(v);
    pa_model_free(m);
}

/* One call of analyze_application_response_times on DIR's captures (*res
 * to be freed by the caller). */
static void app_times(const char *json_args, pa_tool_result *res) {
    pa_registry reg;
    pa_registry_init(&reg);
    char err[512];
    CHECK(pa_tools_register_builtin(&reg, err, sizeof err) == 0);
    pa_config cfg;
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.storage_dir, sizeof cfg.storage_dir, "%s", dir);
    pa_tools_state *state = pa_tools_state_new();
    pa_tool_ctx ctx = {.cfg = &cfg, .state = state};
    pa_tool_result_init(res);
    json_t *args = json_loads(json_args, 0, NULL);
    pa_registry_call(pa_registry_find(&reg, "analyze_application_response_times"), &ctx, args, res);
    json_decref(args);
    CHECK(!res->is_error);
    pa_tools_state_free(state);
    pa_registry_free(&reg);
}

/* The tool: "FTP" in any case, "all" includes FTP, no password anywhere. */
static void test_tool(void) {
    static const char *const asks[] = {"{\"pcap_file\":\"ftp_scenarios.pcap\",\"protocol\":\"FTP\"}",
                                       "{\"pcap_file\":\"ftp_scenarios.pcap\",\"protocol\":\"all\"}"};
    for (int k = 0; k < 2; k++) {
        pa_tool_result res;
        app_times(asks[k], &res);
        json_t *ftp = NULL, *sec;
        size_t i;
        json_array_foreach(json_object_get(res.structured, "sections"), i,
                           sec) if (!strcmp(json_string_value(json_object_get(sec, "name")), "ftp")) ftp = sec;
        CHECK(ftp != NULL);
        CHECK(json_integer_value(json_object_get(json_object_get(ftp, "overall"), "samples")) == 49);
        CHECK(json_integer_value(json_object_get(ftp, "unanswered")) == 1);
        CHECK(json_integer_value(json_object_get(json_object_get(ftp, "logins"), "failed")) == 4);
        json_t *first = json_array_get(json_object_get(ftp, "failed_logins"), 0);
        CHECK(json_integer_value(json_object_get(first, "count")) == 3);
        CHECK_STR(json_string_value(json_object_get(first, "client")), "10.21.0.2");
        CHECK(json_integer_value(json_object_get(json_object_get(ftp, "reply_classes"), "5xx")) == 12);
        CHECK(json_array_size(json_object_get(ftp, "server_activity")) == 2);
        char *all = json_dumps(res.structured, 0);
        CHECK(all && !strstr(all, "secret123") && !strstr(all, "wrong"));
        CHECK(!strstr(res.text.data, "secret123"));
        CHECK_CONTAINS(res.text.data, "failed logins 10.21.0.2 -> 10.21.0.100 port 21: 3 (last user");
        CHECK_CONTAINS(res.text.data, "logins 2 succeeded, 4 failed");
        if (k == 0) CHECK_STR(json_string_value(json_object_get(res.structured, "protocol")), "ftp");
        free(all);
        pa_tool_result_free(&res);
    }
}

/* ---- display filters: whole command/reply transactions ---------------------------------- */

static bool same_tx(const pa_ftp_tx *a, const pa_ftp_tx *b) {
    return a->cmd_frame == b->cmd_frame && a->reply_frame == b->reply_frame &&
           a->reply_start_frame == b->reply_start_frame && a->prelim_frame == b->prelim_frame &&
           a->cmd_ts == b->cmd_ts && a->rt_ns == b->rt_ns && a->prelim_ns == b->prelim_ns && a->code == b->code &&
           a->prelim_code == b->prelim_code && !strcmp(a->verb, b->verb) && !strcmp(a->arg, b->arg) &&
           !memcmp(&a->client, &b->client, sizeof a->client) && !memcmp(&a->server, &b->server, sizeof a->server) &&
           a->cport == b->cport && a->sport == b->sport;
}

/* The counts a filtered analysis should give. */
typedef struct want {
    uint64_t sessions, commands, replies, greetings, preliminary, unanswered, orphans;
    uint64_t logins_ok, logins_failed, bad_lines, long_lines;
} want;

/* The filtered analysis keeps exactly the pairs of the unfiltered one whose
 * command frames are listed (cmds, in order), each complete and unchanged. */
static void check_filter(const char *file, const char *filter, want w, const uint64_t *cmds, size_t ncmds) {
    pa_model *all = analyze(file), *m = analyze_filtered(file, filter);
    CHECK(all && m);
    if (!all || !m) {
        pa_model_free(all);
        pa_model_free(m);
        return;
    }
    const pa_ftp_stats *f = &m->ftp;
    bool ok = f->sessions == w.sessions && f->commands == w.commands && f->replies == w.replies &&
              f->greetings == w.greetings && f->preliminary == w.preliminary && f->unanswered == w.unanswered &&
              f->orphan_replies == w.orphans && f->logins_ok == w.logins_ok && f->logins_failed == w.logins_failed &&
              f->bad_lines == w.bad_lines && f->long_lines == w.long_lines && f->ntx == ncmds;
    uint64_t classes = 0, codes = 0;
    for (int k = 1; k < 6; k++) classes += f->reply_class[k];
    for (int k = 100; k < 600; k++) codes += f->reply_code[k];
    ok = ok && classes == f->replies && codes == f->replies;
    for (size_t i = 0; ok && i < ncmds; i++) {
        const pa_ftp_tx *u = NULL;
        for (size_t k = 0; k < all->ftp.ntx && !u; k++)
            if (all->ftp.tx[k].cmd_frame == cmds[i]) u = &all->ftp.tx[k];
        ok = u && f->tx[i].cmd_frame == cmds[i] && same_tx(&f->tx[i], u);
    }
    CHECK(ok);
    if (!ok) {
        fprintf(stderr,
                "  %s [%s]: sessions %llu commands %llu replies %llu greetings %llu prelim %llu "
                "unanswered %llu "
                "orphans %llu logins %llu/%llu bad %llu long %llu pairs %zu:",
                file, filter, (unsigned long long)f->sessions, (unsigned long long)f->commands,
                (unsigned long long)f->replies, (unsigned long long)f->greetings, (unsigned long long)f->preliminary,
                (unsigned long long)f->unanswered, (unsigned long long)f->orphan_replies,
                (unsigned long long)f->logins_ok, (unsigned long long)f->logins_failed,
                (unsigned long long)f->bad_lines, (unsigned long long)f->long_lines, f->ntx);
        for (size_t i = 0; i < f->ntx; i++) fprintf(stderr, " %llu", (unsigned long long)f->tx[i].cmd_frame);
        fprintf(stderr, "\n");
    }
    pa_model_free(all);
    pa_model_free(m);
}

/* `frame` keeps everything: the figures are the unfiltered ones. */
static void check_everything(const char *file) {
    pa_model *all = analyze(file), *m = analyze_filtered(file, "frame");
    CHECK(all && m);
    if (all && m) {
        const pa_ftp_stats *a = &all->ftp, *f = &m->ftp;
        bool ok = a->sessions == f->sessions && a->commands == f->commands && a->replies == f->replies &&
                  a->greetings == f->greetings && a->preliminary == f->preliminary && a->unanswered == f->unanswered &&
                  a->orphan_replies == f->orphan_replies && a->logins_ok == f->logins_ok &&
                  a->logins_failed == f->logins_failed && a->bad_lines == f->bad_lines &&
                  a->long_lines == f->long_lines && a->gaps == f->gaps && a->nverbs == f->nverbs &&
                  !memcmp(a->reply_code, f->reply_code, sizeof a->reply_code) && a->ntx == f->ntx &&
                  a->servers.count == f->servers.count && a->logins.count == f->logins.count;
        for (size_t i = 0; ok && i < a->ntx; i++) ok = same_tx(&a->tx[i], &f->tx[i]);
        for (size_t i = 0; ok && i < a->nverbs; i++)
            ok = !strcmp(a->verbs[i].verb, f->verbs[i].verb) && a->verbs[i].count == f->verbs[i].count;
        for (size_t r = 0; ok && r < a->servers.count; r++) {
            const pa_ftp_server *x = pa_htab_rec(&a->servers, r), *y = pa_htab_find(&f->servers, x);
            ok = y && x->sessions == y->sessions && x->commands == y->commands && x->replies == y->replies &&
                 x->unanswered == y->unanswered && x->logins_ok == y->logins_ok && x->logins_failed == y->logins_failed;
        }
        for (size_t r = 0; ok && r < a->logins.count; r++) {
            const pa_ftp_login_pair *x = pa_htab_rec(&a->logins, r), *y = pa_htab_find(&f->logins, x);
            ok = y && x->failed == y->failed && x->ok == y->ok && x->first_failed_frame == y->first_failed_frame &&
                 !strcmp(x->user, y->user);
        }
        CHECK(ok);
        if (!ok) fprintf(stderr, "  %s [frame]: differs from the unfiltered analysis\n", file);
    }
    pa_model_free(all);
    pa_model_free(m);
}

static const pa_ftp_login_pair *pair_of(const pa_model *m, uint8_t client) {
    for (size_t r = 0; r < m->ftp.logins.count; r++) {
        const pa_ftp_login_pair *l = pa_htab_rec(&m->ftp.logins, r);
        if (l->client.family == 4 && l->client.b[3] == client) return l;
    }
    return NULL;
}

static void test_filters(void) {
    const char *sc = "ftp_scenarios.pcap";
    /* the PASS commands (frames 7, 11, 99, 103) with their 530, 230, 530,
     * 530 (250, 40, 700, 700 ms): 3 failed logins and 1 good one, in two
     * sessions; no greeting, no USER */
    const uint64_t pass[] = {7, 11, 99, 103};
    check_filter(sc, "ftp.request.command == \"PASS\"",
                 (want){.sessions = 2, .commands = 4, .replies = 4, .logins_ok = 1, .logins_failed = 3}, pass, 4);
    pa_model *m = analyze_filtered(sc, "ftp.request.command == \"PASS\"");
    CHECK(m != NULL);
    if (m) {
        CHECK(m->ftp.reply_code[530] == 3 && m->ftp.reply_code[230] == 1 && m->ftp.reply_code[331] == 0);
        CHECK(m->ftp.nverbs == 1 && !strcmp(m->ftp.verbs[0].verb, "PASS") && m->ftp.verbs[0].count == 4);
        /* per client: the outcomes kept, the user of the last of them (root,
         * not the admin refused at USER) */
        const pa_ftp_login_pair *a = pair_of(m, 1), *b = pair_of(m, 2);
        CHECK(m->ftp.logins.count == 2 && a && a->failed == 1 && a->ok == 1 && !strcmp(a->user, "alice"));
        CHECK(b && b->failed == 2 && b->ok == 0 && b->first_failed_frame == 99 && !strcmp(b->user, "root"));
        /* only the IPv4 server had kept commands */
        CHECK(m->ftp.servers.count == 1);
        const pa_ftp_server *s = m->ftp.servers.count ? pa_htab_rec(&m->ftp.servers, 0) : NULL;
        CHECK(s && s->sessions == 2 && s->commands == 4 && s->replies == 4 && s->logins_failed == 3 &&
              s->logins_ok == 1 && s->reply_class[5] == 3);
        pa_model_free(m);
    }
    /* the 530 replies keep the commands they answer: three PASS and the USER refused */
    const uint64_t refused[] = {7, 99, 103, 105};
    check_filter(sc, "ftp.response.code == 530", (want){.sessions = 2, .commands = 4, .replies = 4, .logins_failed = 4},
                 refused, 4);
    m = analyze_filtered(sc, "ftp.response.code == 530");
    if (m) {
        const pa_ftp_login_pair *b = pair_of(m, 2);
        CHECK(b && b->failed == 3 && b->ok == 0 && !strcmp(b->user, "admin") && pair_of(m, 1)->ok == 0);
        pa_model_free(m);
    }
    /* the second segment of FEAT's multi-line 211 keeps FEAT, timed to it (7 ms) */
    const uint64_t feat[] = {15};
    check_filter(sc, "frame.number == 17", (want){.sessions = 1, .commands = 1, .replies = 1}, feat, 1);
    /* the first half of a reply cut in two keeps CWD */
    const uint64_t cwd[] = {20};
    check_filter(sc, "frame.number == 21", (want){.sessions = 1, .commands = 1, .replies = 1}, cwd, 1);
    /* a preliminary 150 keeps RETR with its final 226 (310 ms) */
    const uint64_t retr[] = {31};
    check_filter(sc, "frame.number == 32", (want){.sessions = 1, .commands = 1, .replies = 2, .preliminary = 1}, retr,
                 1);
    /* a pipelined command's reply keeps that command only */
    const uint64_t size[] = {26};
    check_filter(sc, "ftp.response.code == 213", (want){.sessions = 1, .commands = 1, .replies = 1}, size, 1);
    /* the greetings are transactions of their own */
    check_filter(sc, "frame.number == 4", (want){.sessions = 1, .replies = 1, .greetings = 1}, NULL, 0);
    check_filter(sc, "ftp.response.code == 220", (want){.sessions = 4, .replies = 4, .greetings = 4}, NULL, 0);
    /* the last LIST was never answered */
    const uint64_t list[] = {129};
    check_filter(sc, "frame.number == 129", (want){.sessions = 1, .commands = 1, .unanswered = 1}, list, 1);
    /* frames without FTP bytes keep nothing: no session either */
    check_filter(sc, "frame.number == 0", (want){0}, NULL, 0);
    check_filter(sc, "tcp.len == 0", (want){0}, NULL, 0);
    m = analyze_filtered(sc, "tcp.flags.syn == 1");
    CHECK(m && m->ftp.servers.count == 0 && m->ftp.logins.count == 0 && m->ftp.nverbs == 0);
    pa_model_free(m);
    check_everything(sc);

    /* a command in two segments (RE + TR file.txt): either keeps RETR */
    const uint64_t cut[] = {8};
    check_filter("ftp_edge.pcap", "frame.number == 7", (want){.sessions = 1, .commands = 1, .replies = 1}, cut, 1);
    check_filter("ftp_edge.pcap", "ftp.request.command == \"TR\"", (want){.sessions = 1, .commands = 1, .replies = 1},
                 cut, 1);
    check_everything("ftp_edge.pcap");

    /* per-frame counts: bad lines (5, 10), the long line (completed in 8) */
    const char *ln = "ftp_lines.pcap";
    const uint64_t noop[] = {8}, both[] = {8, 11};
    check_filter(
        ln, "frame",
        (want){
            .sessions = 1, .commands = 2, .replies = 4, .greetings = 1, .orphans = 1, .bad_lines = 2, .long_lines = 1},
        both, 2);
    check_filter(ln, "frame.number == 5", (want){.sessions = 1, .bad_lines = 1}, NULL, 0);
    check_filter(ln, "frame.number == 10", (want){.sessions = 1, .bad_lines = 1}, NULL, 0);
    check_filter(ln, "frame.number == 6", (want){.sessions = 1, .replies = 1, .orphans = 1}, NULL, 0);
    check_filter(ln, "frame.number == 7", (want){.sessions = 1, .commands = 1, .replies = 1}, noop, 1);
    check_filter(ln, "frame.number == 8", (want){.sessions = 1, .commands = 1, .replies = 1, .long_lines = 1}, noop, 1);
    check_everything(ln);
}

/* The response-time tool reads the kept transactions. */
static void test_filter_tool(void) {
    pa_tool_result res;
    app_times("{\"pcap_file\":\"ftp_scenarios.pcap\",\"protocol\":\"ftp\","
              "\"display_filter\":\"ftp.request.command == \\\"PASS\\\"\"}",
              &res);
    json_t *ftp = json_array_get(json_object_get(res.structured, "sections"), 0);
    json_t *overall = json_object_get(ftp, "overall"), *slow = json_object_get(ftp, "slowest");
    CHECK(json_integer_value(json_object_get(overall, "samples")) == 4);
    CHECK(json_real_value(json_object_get(overall, "max_ms")) == 700.0);
    CHECK(json_integer_value(json_object_get(ftp, "sessions")) == 2);
    CHECK(json_integer_value(json_object_get(ftp, "commands")) == 4);
    CHECK(json_integer_value(json_object_get(json_object_get(ftp, "logins"), "failed")) == 3);
    CHECK(json_integer_value(json_object_get(json_object_get(ftp, "logins"), "succeeded")) == 1);
    /* slowest first: 700, 700, 250, 40 ms, each to its reply */
    static const json_int_t frames[] = {99, 103, 7, 11}, replies[] = {100, 104, 8, 12};
    static const double ms[] = {700, 700, 250, 40};
    CHECK(json_array_size(slow) == 4);
    for (size_t i = 0; i < 4 && i < json_array_size(slow); i++) {
        json_t *x = json_array_get(slow, i);
        CHECK(json_integer_value(json_object_get(x, "frame")) == frames[i]);
        CHECK(json_integer_value(json_object_get(x, "reply_frame")) == replies[i]);
        CHECK(fabs(json_real_value(json_object_get(x, "time_ms")) - ms[i]) < 1e-6);
    }
    json_t *first = json_array_get(json_object_get(ftp, "failed_logins"), 0);
    CHECK(json_integer_value(json_object_get(first, "count")) == 2);
    CHECK_STR(json_string_value(json_object_get(first, "client")), "10.21.0.2");
    CHECK_STR(json_string_value(json_object_get(first, "last_user")), "root");
    CHECK_CONTAINS(res.text.data, "logins 1 succeeded, 3 failed");
    pa_tool_result_free(&res);
}

/* ---- data connections (ftp-data) ------------------------------------------------------- */

/* The announcement parsers, as Wireshark reads them, and hostile lines. */
static void test_data_parsers(void) {
    uint8_t ip[4];
    uint16_t port = 0;
    CHECK(pa_ftp_parse_pasv(u("Entering Passive Mode (10,0,0,1,4,51)."), 38, ip, &port) && port == 1075 && ip[3] == 1);
    /* no parentheses, a number before the address, blanks and signs as sscanf takes them */
    const char *loose = "Data transfer will listen on port 7 at 127,0,0,1, 4,-205";
    CHECK(pa_ftp_parse_pasv(u(loose), strlen(loose), ip, &port) && ip[0] == 127 && port == ((4 << 8) | (-205 & 0xff)));
    CHECK(!pa_ftp_parse_pasv(u("Entering Passive Mode (10,0,0,1,4)"), 35, ip, &port));
    CHECK(!pa_ftp_parse_pasv(u(""), 0, ip, &port));
    const char *nul = "(10,0\0,0,1,4,51)"; /* Wireshark's copy ends at a NUL */
    CHECK(!pa_ftp_parse_pasv(u(nul), 17, ip, &port));
    CHECK(pa_ftp_parse_epsv(u("Entering Extended Passive Mode (|||6446|)"), 41, &port) && port == 6446);
    CHECK(pa_ftp_parse_epsv(u("ok (!!!21!)"), 11, &port) && port == 21);
    CHECK(!pa_ftp_parse_epsv(u("(|||70000|)"), 11, &port));
    CHECK(!pa_ftp_parse_epsv(u("(|||6446|"), 9, &port)); /* no closing parenthesis */
    CHECK(!pa_ftp_parse_epsv(u("(|||)"), 5, &port));
    pa_addr a;
    CHECK(pa_ftp_parse_eprt(u("|1|132.235.1.2|6275|"), 20, &a, &port) && a.family == 4 && a.b[0] == 132 &&
          port == 6275);
    CHECK(pa_ftp_parse_eprt(u("|2|1080::8:800:200C:417A|5282|"), 30, &a, &port) && a.family == 6 && port == 5282);
    CHECK(!pa_ftp_parse_eprt(u("|3|1.2.3.4|1|"), 13, &a, &port));
    CHECK(!pa_ftp_parse_eprt(u("|1|1.2.3.4|1|2|"), 15, &a, &port));
    CHECK(!pa_ftp_parse_eprt(u("|1||1|"), 6, &a, &port));
    CHECK(!pa_ftp_parse_eprt(u("1|1.2.3.4|1|"), 12, &a, &port)); /* a digit is no delimiter */
    CHECK(!pa_ftp_parse_eprt(u("|1|1.2.3.4|99999|"), 17, &a, &port));
    char out[PA_FTP_CWD_MAX];
    CHECK(pa_ftp_parse_pwd(u("\"/a \"\"b\"\" c\" is current"), 24, out, sizeof out));
    CHECK_STR(out, "/a \"b\" c");
    CHECK(!pa_ftp_parse_pwd(u("\"/unterminated"), 14, out, sizeof out));
    CHECK(!pa_ftp_parse_pwd(u("/no/quotes"), 10, out, sizeof out));
    char cwd[PA_FTP_CWD_MAX] = "/home/ftp";
    pa_ftp_cwd_apply(cwd, sizeof cwd, "pub/../pub/./docs");
    CHECK_STR(cwd, "/home/ftp/pub/docs");
    pa_ftp_cwd_apply(cwd, sizeof cwd, "..");
    CHECK_STR(cwd, "/home/ftp/pub");
    pa_ftp_cwd_apply(cwd, sizeof cwd, "/srv");
    CHECK_STR(cwd, "/srv");
    pa_ftp_cwd_apply(cwd, sizeof cwd, "../../..");
    CHECK_STR(cwd, "/");
    char rel[PA_FTP_CWD_MAX] = "";
    pa_ftp_cwd_apply(rel, sizeof rel, "x/y");
    CHECK_STR(rel, "x/y");
    /* a long path stays within the buffer */
    char big[PA_FTP_CWD_MAX * 2];
    memset(big, 'd', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    pa_ftp_cwd_apply(cwd, sizeof cwd, big);
    CHECK(strlen(cwd) == PA_FTP_CWD_MAX - 1);
    pa_ftp_cwd_apply(cwd, sizeof cwd, big);
    CHECK(strlen(cwd) == PA_FTP_CWD_MAX - 1);
}

/* ftp_data.pcap: the transfers (compare_ftp.mjs holds their frames, bytes, first and last
 * frames, durations and rates against tshark's), their final replies and the tool. */
static void test_data(void) {
    pa_model *m = analyze("ftp_data.pcap");
    CHECK(m != NULL);
    if (!m) return;
    const pa_ftp_data_stats *d = &m->ftp.data;
    CHECK(d->n == 5);
    CHECK(d->frames == 12 && d->bytes == 600 + 4200 + 4000 + 2800 + 120);
    if (d->n == 5) {
        static const struct {
            const char *method, *command, *cwd;
            uint64_t frames, bytes, from_client;
            uint16_t close;
        } exp[] = {{"PASV", "LIST -l", "/home/ftp/pub/docs", 2, 600, 0, 226},
                   {"EPASV", "RETR report.pdf", "/home/ftp/pub/docs", 3, 4200, 0, 226},
                   {"PASV", "STOR upload.bin", "/home/ftp/pub", 4, 4000, 4000, 451},
                   {"PORT", "RETR big.iso", "/home/ftp/pub", 2, 2800, 0, 426},
                   {"EPRT", "NLST", "/home/ftp/pub", 1, 120, 0, 226}};
        for (size_t i = 0; i < 5; i++) {
            const pa_ftp_transfer *t = &d->t[i];
            CHECK_STR(t->method, exp[i].method);
            CHECK_STR(t->command, exp[i].command);
            CHECK_STR(t->cwd, exp[i].cwd);
            CHECK(t->frames == exp[i].frames && t->bytes == exp[i].bytes);
            CHECK(t->bytes_from_client == exp[i].from_client);
            CHECK(t->close_code == exp[i].close);
        }
    }
    pa_model_free(m);
    /* a display filter keeps the data frames by their name */
    m = analyze_filtered("ftp_data.pcap", "ftp-data.setup-method == \"PORT\"");
    CHECK(m && m->ftp.data.n == 5);
    pa_model_free(m);
    pa_tool_result res;
    app_times("{\"pcap_file\":\"ftp_data.pcap\",\"protocol\":\"ftp\"}", &res);
    json_t *sec = json_array_get(json_object_get(res.structured, "sections"), 0);
    json_t *rows = json_object_get(sec, "data_transfers");
    CHECK(json_array_size(rows) == 5);
    json_t *up = json_array_get(rows, 2);
    CHECK_STR(json_string_value(json_object_get(up, "direction")), "upload");
    CHECK_STR(json_string_value(json_object_get(up, "file")), "upload.bin");
    CHECK(json_integer_value(json_object_get(up, "final_reply")) == 451);
    CHECK(json_integer_value(json_object_get(up, "duration_ms")) == 6);
    CHECK(json_integer_value(json_object_get(up, "kbps")) == 5333);
    CHECK(json_integer_value(json_object_get(sec, "data_frames")) == 12);
    CHECK_CONTAINS(res.text.data, "upload STOR upload.bin in /home/ftp/pub, 4000 bytes in 4 frames");
    CHECK_CONTAINS(res.text.data, "reply 426 in frame 70 (transfer failed)");
    pa_tool_result_free(&res);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_ftp DIR\n");
        return 2;
    }
    dir = argv[1];
    test_lines();
    test_scenarios();
    test_edge();
    test_ports();
    test_tool();
    test_filters();
    test_filter_tool();
    test_data_parsers();
    test_data();
    return check_done("ftp");
}
