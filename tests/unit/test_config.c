/* Environment parsing: defaults, aliases, units, and messages for bad values. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "config.h"

static const char *const *env_table;

static const char *fake_getenv(const char *name) {
    for (const char *const *e = env_table; e && *e; e += 2)
        if (strcmp(e[0], name) == 0) return e[1];
    return NULL;
}

static int load(const char *const *env, pa_config *cfg, char *err, char *warn) {
    env_table = env;
    return pa_config_load(cfg, fake_getenv, err, 512, warn, 512);
}

static void test_defaults(void) {
    pa_config c;
    char err[512], warn[512];
    const char *const env[] = {NULL};
    CHECK(load(env, &c, err, warn) == 0);
    CHECK_STR(c.storage_dir, "/tmp/pcap_files");
    CHECK_STR(c.temp_dir, "/tmp/pcap_analysis");
    CHECK(c.max_capture_bytes == 100ull * 1024 * 1024);
    CHECK(c.capture_timeout_s == 300);
    CHECK(c.max_analysis_bytes == 16ull << 30);
    CHECK(c.analysis_timeout_s == 120);
    CHECK_STR(c.tshark_path, "/opt/homebrew/bin/tshark");
    CHECK(c.toolset == PA_TOOLSET_FULL);
    CHECK(warn[0] == '\0');
}

static void test_toolset(void) {
    pa_config c;
    char err[512], warn[512];
    const struct {
        const char *v;
        pa_toolset t;
    } ok[] = {{"core", PA_TOOLSET_CORE}, {"analysis", PA_TOOLSET_ANALYSIS}, {"full", PA_TOOLSET_FULL},
              {"Core", PA_TOOLSET_CORE}, {"FULL", PA_TOOLSET_FULL},         {"", PA_TOOLSET_FULL}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        const char *const env[] = {"PCAP_MCP_TOOLSET", ok[i].v, NULL};
        CHECK(load(env, &c, err, warn) == 0);
        CHECK(c.toolset == ok[i].t);
    }
    const char *bad[] = {"small", "core ", "all", "analysis,core"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *const env[] = {"PCAP_MCP_TOOLSET", bad[i], NULL};
        CHECK(load(env, &c, err, warn) != 0);
        char want[64];
        snprintf(want, sizeof want, "PCAP_MCP_TOOLSET='%s'", bad[i]);
        CHECK_CONTAINS(err, want);
        CHECK_CONTAINS(err, "accepted: core, analysis, full");
    }
    CHECK_STR(pa_toolset_name(PA_TOOLSET_ANALYSIS), "analysis");
    CHECK(pa_toolset_parse(pa_toolset_name(PA_TOOLSET_CORE)) == PA_TOOLSET_CORE);
}

static void test_values_and_aliases(void) {
    pa_config c;
    char err[512], warn[512];
    const char *const env1[] = {"PCAP_STORAGE_DIR",
                                "/srv/caps/",
                                "MAX_CAPTURE_SIZE",
                                "2GB",
                                "MAX_CAPTURE_DURATION",
                                "60",
                                "WIRESHARK_PATH",
                                "/usr/bin/tshark",
                                "ANALYSIS_TEMP_DIR",
                                "/var/tmp/x",
                                "MAX_ANALYSIS_FILE_SIZE",
                                "300TB",
                                "ANALYSIS_TIMEOUT",
                                "7",
                                NULL};
    CHECK(load(env1, &c, err, warn) == 0);
    CHECK(c.max_analysis_bytes == 300ull << 40);
    CHECK(c.analysis_timeout_s == 7);
    CHECK_STR(c.storage_dir, "/srv/caps");
    CHECK(c.max_capture_bytes == 2ull << 30);
    CHECK(c.capture_timeout_s == 60);
    CHECK_STR(c.tshark_path, "/usr/bin/tshark");
    CHECK_STR(c.temp_dir, "/var/tmp/x");

    /* The primary name wins over its alias, with a warning. */
    const char *const env2[] = {"PCAP_STORAGE_PATH",
                                "/a",
                                "PCAP_STORAGE_DIR",
                                "/b",
                                "CAPTURE_TIMEOUT",
                                "10",
                                "MAX_CAPTURE_DURATION",
                                "20",
                                NULL};
    CHECK(load(env2, &c, err, warn) == 0);
    CHECK_STR(c.storage_dir, "/a");
    CHECK(c.capture_timeout_s == 10);
    CHECK_CONTAINS(warn, "PCAP_STORAGE_DIR=/b is ignored");
    CHECK_CONTAINS(warn, "MAX_CAPTURE_DURATION=20 is ignored");
}

static void test_sizes(void) {
    uint64_t v;
    CHECK(pa_parse_size("100MB", &v) == 0 && v == 100ull << 20);
    CHECK(pa_parse_size("100 mb", &v) == 0 && v == 100ull << 20);
    CHECK(pa_parse_size("64K", &v) == 0 && v == 64ull << 10);
    CHECK(pa_parse_size("64KiB", &v) == 0 && v == 64ull << 10);
    CHECK(pa_parse_size("1g", &v) == 0 && v == 1ull << 30);
    CHECK(pa_parse_size("1TB", &v) == 0 && v == 1ull << 40);
    CHECK(pa_parse_size("4096", &v) == 0 && v == 4096);
    CHECK(pa_parse_size("4096B", &v) == 0 && v == 4096);
    CHECK(pa_parse_size("1.5GB", &v) != 0);
    CHECK(pa_parse_size("-1MB", &v) != 0);
    CHECK(pa_parse_size("MB", &v) != 0);
    CHECK(pa_parse_size("10XB", &v) != 0);
    CHECK(pa_parse_size("99999999999999999999", &v) != 0);
    CHECK(pa_parse_size("99999999999TB", &v) != 0);
}

static void test_errors(void) {
    pa_config c;
    char err[512], warn[512];
    const char *const e1[] = {"MAX_CAPTURE_SIZE", "lots", NULL};
    CHECK(load(e1, &c, err, warn) != 0);
    CHECK_CONTAINS(err, "MAX_CAPTURE_SIZE='lots'");
    CHECK_CONTAINS(err, "B, KB, MB, GB");
    const char *const e2[] = {"MAX_CAPTURE_SIZE", "10B", NULL};
    CHECK(load(e2, &c, err, warn) != 0);
    CHECK_CONTAINS(err, "between 1KB and 1TB");
    const char *const e2b[] = {"CAPTURE_BUFFER_SIZE", "512KB", NULL};
    CHECK(load(e2b, &c, err, warn) != 0);
    CHECK_CONTAINS(err, "CAPTURE_BUFFER_SIZE='512KB' is not a valid size");
    CHECK_CONTAINS(err, "between 1MB and 1GB");
    const char *const e2c[] = {"CAPTURE_BUFFER_SIZE", "2GB", NULL};
    CHECK(load(e2c, &c, err, warn) != 0);
    const char *const e2d[] = {"CAPTURE_BUFFER_SIZE", "64MB", NULL};
    CHECK(load(e2d, &c, err, warn) == 0 && c.capture_buffer_bytes == 64ull << 20);
    const char *const e3[] = {"CAPTURE_TIMEOUT", "0", NULL};
    CHECK(load(e3, &c, err, warn) != 0);
    CHECK_CONTAINS(err, "CAPTURE_TIMEOUT='0'");
    CHECK_CONTAINS(err, "1 to 86400");
    const char *const e3a[] = {"ANALYSIS_TIMEOUT", "2 min", NULL};
    CHECK(load(e3a, &c, err, warn) != 0);
    CHECK_CONTAINS(err, "ANALYSIS_TIMEOUT='2 min' is not a valid duration; accepted: whole seconds from 1 to 86400");
    /* empty means unset for every setting: the defaults stay */
    const char *const e3e[] = {
        "ANALYSIS_TIMEOUT", "", "CAPTURE_TIMEOUT", "", "MAX_ANALYSIS_FILE_SIZE", "", "MAX_CAPTURE_SIZE", "", NULL};
    CHECK(load(e3e, &c, err, warn) == 0);
    CHECK(c.analysis_timeout_s == 120 && c.capture_timeout_s == PA_DEFAULT_CAPTURE_TIMEOUT);
    CHECK(c.max_analysis_bytes == PA_DEFAULT_MAX_ANALYSIS_FILE && c.max_capture_bytes == PA_DEFAULT_MAX_CAPTURE_SIZE);
    CHECK(c.capture_buffer_bytes == 32ull << 20);
    const char *const e3f[] = {"MAX_CAPTURE_DURATION", "60", "CAPTURE_TIMEOUT", "x", NULL};
    CHECK(load(e3f, &c, err, warn) != 0);
    CHECK_CONTAINS(err, "CAPTURE_TIMEOUT='x' is not a valid duration");
    const char *const e3b[] = {"MAX_ANALYSIS_FILE_SIZE", "2PB", NULL};
    CHECK(load(e3b, &c, err, warn) != 0);
    CHECK_CONTAINS(err, "MAX_ANALYSIS_FILE_SIZE='2PB' is not a valid size");
    const char *const e3c[] = {"MAX_ANALYSIS_FILE_SIZE", "512", NULL};
    CHECK(load(e3c, &c, err, warn) != 0);
    CHECK_CONTAINS(err, "between 1KB and 1024TB");
    const char *const e4[] = {"MAX_CAPTURE_DURATION", "5m", NULL};
    CHECK(load(e4, &c, err, warn) != 0);
    CHECK_CONTAINS(err, "MAX_CAPTURE_DURATION='5m'");
    const char *const e6[] = {"PCAP_MCP_LOG_LEVEL", "loud", NULL};
    CHECK(load(e6, &c, err, warn) != 0);
    CHECK_CONTAINS(err, "debug, info");
    const char *const e7[] = {"ANALYSIS_TEMP_DIR", "/x\n/y", NULL};
    CHECK(load(e7, &c, err, warn) != 0);
    CHECK_CONTAINS(err, "control character");
}

static void test_budgets(void) {
    pa_config c;
    char err[512], warn[512];
    const char *const none[] = {NULL};
    CHECK(load(none, &c, err, warn) == 0);
    CHECK(c.text_budget == 16384 && c.result_budget == 65536);
    const char *const set[] = {"PCAP_MCP_TEXT_BUDGET", "8KB", "PCAP_MCP_RESULT_BUDGET", "1MB", NULL};
    CHECK(load(set, &c, err, warn) == 0);
    CHECK(c.text_budget == 8192 && c.result_budget == 1048576);
    const char *const empty[] = {"PCAP_MCP_TEXT_BUDGET", "", NULL};
    CHECK(load(empty, &c, err, warn) == 0 && c.text_budget == 16384);
    const char *const small[] = {"PCAP_MCP_TEXT_BUDGET", "2KB", NULL};
    CHECK(load(small, &c, err, warn) == -1);
    CHECK_CONTAINS(err, "PCAP_MCP_TEXT_BUDGET='2KB' is not a valid size");
    CHECK_CONTAINS(err, "between 4KB and 16MB");
    const char *const big[] = {"PCAP_MCP_RESULT_BUDGET", "32MB", NULL};
    CHECK(load(big, &c, err, warn) == -1);
    CHECK_CONTAINS(err, "PCAP_MCP_RESULT_BUDGET='32MB'");
    /* the whole result holds the text: it must leave room beside it */
    const char *const tight[] = {"PCAP_MCP_TEXT_BUDGET", "64KB", NULL};
    CHECK(load(tight, &c, err, warn) == -1);
    CHECK_CONTAINS(err, "must exceed PCAP_MCP_TEXT_BUDGET");
}

static void test_prepare_storage(void) {
    char base[] = "/tmp/pa_test_cfg_XXXXXX";
    CHECK(mkdtemp(base) != NULL);
    pa_config c;
    char err[512], warn[512];
    const char *const env[] = {NULL};
    CHECK(load(env, &c, err, warn) == 0);
    snprintf(c.storage_dir, sizeof c.storage_dir, "%s/a/b/c", base);
    CHECK(pa_config_prepare_storage(&c, err, sizeof err) == 0);
    struct stat st;
    CHECK(stat(c.storage_dir, &st) == 0 && S_ISDIR(st.st_mode));
    char file[600];
    snprintf(file, sizeof file, "%s/plainfile", base);
    FILE *f = fopen(file, "w");
    fclose(f);
    snprintf(c.storage_dir, sizeof c.storage_dir, "%s", file);
    CHECK(pa_config_prepare_storage(&c, err, sizeof err) != 0);
    CHECK_CONTAINS(err, "not a directory");
    unlink(file);
    char p[600];
    snprintf(p, sizeof p, "%s/a/b/c", base);
    rmdir(p);
    snprintf(p, sizeof p, "%s/a/b", base);
    rmdir(p);
    snprintf(p, sizeof p, "%s/a", base);
    rmdir(p);
    rmdir(base);
}

/* Relative directories are resolved against the working directory at
 * start, with a warning naming the variable and the path used. */
static void test_relative_dirs(void) {
    char base[] = "/tmp/pa_test_rel_XXXXXX";
    CHECK(mkdtemp(base) != NULL);
    char old[4096];
    CHECK(getcwd(old, sizeof old) != NULL);
    char sub[600];
    snprintf(sub, sizeof sub, "%s/work", base);
    CHECK(mkdir(sub, 0700) == 0);
    CHECK(chdir(sub) == 0);
    char cwd[4096]; /* the physical path: /tmp may be a link */
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    char want[4200], msg[4400];
    pa_config c;
    char err[512], warn[512];

    /* the published package's default, through the alias */
    const char *const e1[] = {"PCAP_STORAGE_DIR", "./pcap_storage", NULL};
    CHECK(load(e1, &c, err, warn) == 0);
    snprintf(want, sizeof want, "%s/pcap_storage", cwd);
    CHECK_STR(c.storage_dir, want);
    snprintf(msg, sizeof msg, "PCAP_STORAGE_DIR='./pcap_storage' is relative: using %s ", want);
    CHECK_CONTAINS(warn, msg);

    /* "..", "." and doubled or trailing slashes are folded */
    const char *const e2[] = {"PCAP_STORAGE_PATH", "../caps//x/./", "ANALYSIS_TEMP_DIR", "tmp/../scratch", NULL};
    CHECK(load(e2, &c, err, warn) == 0);
    char parent[4096];
    snprintf(parent, sizeof parent, "%s", cwd);
    *strrchr(parent, '/') = '\0';
    snprintf(want, sizeof want, "%s/caps/x", parent);
    CHECK_STR(c.storage_dir, want);
    snprintf(msg, sizeof msg, "PCAP_STORAGE_PATH='../caps//x/./' is relative: using %s ", want);
    CHECK_CONTAINS(warn, msg);
    snprintf(want, sizeof want, "%s/scratch", cwd);
    CHECK_STR(c.temp_dir, want);
    snprintf(msg, sizeof msg, "ANALYSIS_TEMP_DIR='tmp/../scratch' is relative: using %s ", want);
    CHECK_CONTAINS(warn, msg);

    /* "." is the working directory itself; ".." above / stays at / */
    const char *const e3[] = {"PCAP_STORAGE_PATH", ".", NULL};
    CHECK(load(e3, &c, err, warn) == 0);
    CHECK_STR(c.storage_dir, cwd);
    char ups[256];
    for (int i = 0; i < 40; i++) memcpy(ups + 3 * i, "../", 3);
    ups[120] = '\0';
    const char *const e4[] = {"PCAP_STORAGE_PATH", ups, NULL};
    CHECK(load(e4, &c, err, warn) == 0);
    CHECK_STR(c.storage_dir, "/");

    /* an absolute path is taken as written, without a warning */
    const char *const e5[] = {"PCAP_STORAGE_PATH", "/srv/x", NULL};
    CHECK(load(e5, &c, err, warn) == 0);
    CHECK(warn[0] == '\0');

    /* the resolved directory is created where the message said */
    const char *const e6[] = {"PCAP_STORAGE_DIR", "made/here", NULL};
    CHECK(load(e6, &c, err, warn) == 0);
    CHECK(pa_config_prepare_storage(&c, err, sizeof err) == 0);
    struct stat st;
    snprintf(want, sizeof want, "%s/made/here", cwd);
    CHECK(stat(want, &st) == 0 && S_ISDIR(st.st_mode));
    rmdir(want);
    snprintf(want, sizeof want, "%s/made", cwd);
    rmdir(want);

    CHECK(chdir(old) == 0);
    rmdir(sub);
    rmdir(base);
}

/* TSHARK_PATH or WIRESHARK_PATH: a bare name is looked up on PATH; a
 * warning names the variable actually set. */
static void test_tshark_lookup(void) {
    char base[] = "/tmp/pa_test_ts_XXXXXX";
    CHECK(mkdtemp(base) != NULL);
    char bin[600], exe[700], plain[700];
    snprintf(bin, sizeof bin, "%s/bin", base);
    CHECK(mkdir(bin, 0700) == 0);
    snprintf(exe, sizeof exe, "%s/tshark", bin);
    FILE *f = fopen(exe, "w");
    fclose(f);
    CHECK(chmod(exe, 0700) == 0);
    snprintf(plain, sizeof plain, "%s/notexec", bin);
    f = fopen(plain, "w");
    fclose(f);
    char path[1400];
    snprintf(path, sizeof path, "/nonexistent-dir:%s", bin);
    pa_config c;
    char err[512], warn[512];

    /* the published default: WIRESHARK_PATH=tshark, found on PATH */
    const char *const e1[] = {"WIRESHARK_PATH", "tshark", "PATH", path, NULL};
    CHECK(load(e1, &c, err, warn) == 0);
    CHECK_STR(c.tshark_path, exe);
    CHECK(warn[0] == '\0');

    /* not on PATH: the warning names WIRESHARK_PATH, not TSHARK_PATH */
    const char *const e2[] = {"WIRESHARK_PATH", "tshark-nope", "PATH", path, NULL};
    CHECK(load(e2, &c, err, warn) == 0);
    CHECK_CONTAINS(warn, "WIRESHARK_PATH=tshark-nope was not found on PATH");
    CHECK(strstr(warn, "TSHARK_PATH") == NULL);

    /* a file on PATH that is not executable does not count */
    const char *const e3[] = {"TSHARK_PATH", "notexec", "PATH", path, NULL};
    CHECK(load(e3, &c, err, warn) == 0);
    CHECK_CONTAINS(warn, "TSHARK_PATH=notexec was not found on PATH");

    /* a path with a slash is used as written */
    const char *const e4[] = {"TSHARK_PATH", plain, "PATH", path, NULL};
    CHECK(load(e4, &c, err, warn) == 0);
    CHECK_STR(c.tshark_path, plain);
    CHECK_CONTAINS(warn, "TSHARK_PATH=");
    CHECK_CONTAINS(warn, "is not an executable file");
    const char *const e5[] = {"WIRESHARK_PATH", exe, NULL};
    CHECK(load(e5, &c, err, warn) == 0);
    CHECK(warn[0] == '\0');
    const char *const e6[] = {"WIRESHARK_PATH", "/nonexistent/tshark", NULL};
    CHECK(load(e6, &c, err, warn) == 0);
    CHECK_CONTAINS(warn, "WIRESHARK_PATH=/nonexistent/tshark is not an executable file");

    /* no PATH at all: nothing is found, nothing breaks */
    const char *const e7[] = {"TSHARK_PATH", "tshark", NULL};
    CHECK(load(e7, &c, err, warn) == 0);
    CHECK_CONTAINS(warn, "TSHARK_PATH=tshark was not found on PATH");

    /* unset: the default is kept and not checked */
    const char *const e8[] = {"PATH", path, NULL};
    CHECK(load(e8, &c, err, warn) == 0);
    CHECK_STR(c.tshark_path, "/opt/homebrew/bin/tshark");
    CHECK(warn[0] == '\0');

    unlink(exe);
    unlink(plain);
    rmdir(bin);
    rmdir(base);
}

int main(void) {
    test_budgets();
    test_relative_dirs();
    test_tshark_lookup();
    test_defaults();
    test_values_and_aliases();
    test_toolset();
    test_sizes();
    test_errors();
    test_prepare_storage();
    return check_done("config");
}
