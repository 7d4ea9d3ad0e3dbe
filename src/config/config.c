#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define SIZE_MIN_BYTES 1024ull                          /* 1 KiB */
#define SIZE_MAX_BYTES (1024ull * 1024 * 1024 * 1024)   /* 1 TiB */
#define ANALYSIS_SIZE_MAX_BYTES (1024 * SIZE_MAX_BYTES) /* 1 PiB: "no limit" in practice */
#define TIMEOUT_MAX_S 86400

int pa_parse_size(const char *s, uint64_t *out) {
    const char *p = s;
    while (isspace((unsigned char)*p)) p++;
    if (!isdigit((unsigned char)*p)) return -1;
    uint64_t v = 0;
    while (isdigit((unsigned char)*p)) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10) return -1;
        v = v * 10 + d;
        p++;
    }
    while (isspace((unsigned char)*p)) p++;
    const char *unit = p;
    size_t ulen = strlen(unit);
    while (ulen && isspace((unsigned char)unit[ulen - 1])) ulen--;
    static const struct {
        const char *name;
        unsigned shift;
    } units[] = {{"", 0},     {"B", 0},  {"K", 10},  {"KB", 10},  {"KIB", 10}, {"M", 20},  {"MB", 20},
                 {"MIB", 20}, {"G", 30}, {"GB", 30}, {"GIB", 30}, {"T", 40},   {"TB", 40}, {"TIB", 40}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strlen(units[i].name) == ulen && strncasecmp(unit, units[i].name, ulen) == 0) {
            if (units[i].shift && v > (UINT64_MAX >> units[i].shift)) return -1;
            *out = v << units[i].shift;
            return 0;
        }
    }
    return -1;
}

static int parse_int(const char *s, long lo, long hi, long *out) {
    const char *p = s;
    while (isspace((unsigned char)*p)) p++;
    if (!isdigit((unsigned char)*p)) return -1;
    long v = 0;
    while (isdigit((unsigned char)*p)) {
        v = v * 10 + (*p - '0');
        if (v > hi) return -1;
        p++;
    }
    while (isspace((unsigned char)*p)) p++;
    if (*p || v < lo) return -1;
    *out = v;
    return 0;
}

/* Reads a variable and its alias. The primary name wins; a conflicting alias
 * is worth a warning because one of the two is a typo or a leftover. */
static const char *get_with_alias(pa_getenv_fn get, const char *name, const char *alias, char *warn, size_t warnlen) {
    const char *v = get(name);
    const char *a = alias ? get(alias) : NULL;
    if (v && *v) {
        if (a && *a && strcmp(a, v) != 0 && warn && warnlen) {
            size_t used = strlen(warn);
            snprintf(warn + used, warnlen - used, "%s=%s is ignored because %s=%s is set. ", alias, a, name, v);
        }
        return v;
    }
    return (a && *a) ? a : NULL;
}

static const char *used_name(pa_getenv_fn get, const char *name, const char *alias) {
    const char *v = get(name);
    return (v && *v) ? name : alias;
}

static void add_warning(char *warn, size_t warnlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add_warning(char *warn, size_t warnlen, const char *fmt, ...) {
    if (!warn || !warnlen) return;
    size_t used = strlen(warn);
    if (used >= warnlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(warn + used, warnlen - used, fmt, ap);
    va_end(ap);
}

/* base + "/" + rel with "." and ".." components removed. base is getcwd()'s
 * physical path, so a lexical ".." is what the kernel would resolve. */
static int join_path(char *dst, size_t dstlen, const char *base, const char *rel) {
    char tmp[8192];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s/%s", base, rel) >= sizeof tmp) return -1;
    size_t n = 0;
    const char *p = tmp;
    while (*p) {
        while (*p == '/') p++;
        const char *e = p;
        while (*e && *e != '/') e++;
        size_t len = (size_t)(e - p);
        if (len == 0 || (len == 1 && p[0] == '.')) {
        } else if (len == 2 && p[0] == '.' && p[1] == '.') {
            while (n > 0 && dst[n - 1] != '/') n--;
            if (n > 0) n--; /* the slash before it; ".." of / is / */
        } else {
            if (n + 1 + len + 1 > dstlen) return -1;
            dst[n++] = '/';
            memcpy(dst + n, p, len);
            n += len;
        }
        p = e;
    }
    if (n == 0) dst[n++] = '/';
    dst[n] = '\0';
    return 0;
}

/* A directory variable. A relative value (the published package's default
 * is ./pcap_storage) is resolved once, against the working directory at
 * start, and the absolute path used is named in a warning: later changes of
 * directory must not move the storage. */
static int set_path(char *dst, size_t dstlen, const char *var, const char *val, char *err, size_t errlen, char *warn,
                    size_t warnlen) {
    for (const char *p = val; *p; p++) {
        if ((unsigned char)*p < 0x20) {
            snprintf(err, errlen, "%s contains a control character; accepted: a plain path", var);
            return -1;
        }
    }
    if (strlen(val) >= dstlen) {
        snprintf(err, errlen, "%s is too long (%zu bytes); accepted: a path under %zu bytes", var, strlen(val), dstlen);
        return -1;
    }
    if (val[0] != '/') {
        char cwd[4096];
        if (!getcwd(cwd, sizeof cwd)) {
            snprintf(err, errlen,
                     "%s='%s' is relative and the working directory cannot be read (%s); "
                     "accepted: an absolute directory path such as /tmp/pcap_files",
                     var, val, strerror(errno));
            return -1;
        }
        if (join_path(dst, dstlen, cwd, val)) {
            snprintf(err, errlen, "%s='%s' is too long once made absolute; accepted: a path under %zu bytes", var, val,
                     dstlen);
            return -1;
        }
        add_warning(warn, warnlen, "%s='%s' is relative: using %s (resolved against the working directory at start). ",
                    var, val, dst);
        return 0;
    }
    snprintf(dst, dstlen, "%s", val);
    /* Trailing slashes would make prefix checks and messages inconsistent. */
    size_t n = strlen(dst);
    while (n > 1 && dst[n - 1] == '/') dst[--n] = '\0';
    return 0;
}

/* TSHARK_PATH (or its alias) as execvp would take it: a bare name is looked
 * up on PATH, anything with a slash is used as written. The analysis never
 * runs it, so a miss only warns, naming the variable that was set. */
static void find_tshark(pa_config *cfg, pa_getenv_fn get, const char *var, const char *val, char *warn,
                        size_t warnlen) {
    if (strchr(val, '/')) {
        if (access(val, X_OK) != 0)
            add_warning(warn, warnlen,
                        "%s=%s is not an executable file; it is optional (analysis does not use tshark). ", var, val);
        return;
    }
    const char *path = get("PATH");
    for (const char *p = path ? path : ""; p && *p;) {
        const char *e = strchr(p, ':');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char cand[sizeof cfg->tshark_path];
        /* an empty PATH entry means the working directory, as for execvp */
        int w = len ? snprintf(cand, sizeof cand, "%.*s/%s", (int)len, p, val) : snprintf(cand, sizeof cand, "%s", val);
        struct stat st;
        if (w > 0 && (size_t)w < sizeof cand && stat(cand, &st) == 0 && S_ISREG(st.st_mode) &&
            access(cand, X_OK) == 0) {
            snprintf(cfg->tshark_path, sizeof cfg->tshark_path, "%s", cand);
            return;
        }
        p = e ? e + 1 : NULL;
    }
    add_warning(warn, warnlen, "%s=%s was not found on PATH; it is optional (analysis does not use tshark). ", var,
                val);
}

/* A size variable: unset or empty keeps the default in *out. */
static int size_var(pa_getenv_fn get, const char *name, uint64_t min, const char *min_text, uint64_t max,
                    const char *max_text, const char *example, uint64_t *out, char *err, size_t errlen) {
    const char *v = get(name);
    if (!v || !*v) return 0;
    uint64_t n;
    if (pa_parse_size(v, &n) || n < min || n > max) {
        snprintf(err, errlen,
                 "%s='%s' is not a valid size; accepted: a whole number with an optional unit B, "
                 "KB, MB, GB, TB (also K, M, G, T; 1024-based), between %s and %s, e.g. %s",
                 name, v, min_text, max_text, example);
        return -1;
    }
    *out = n;
    return 0;
}

/* A result budget: a size from 4KB to 16MB; unset or empty keeps *out. */
static int budget_var(pa_getenv_fn get, const char *name, const char *example, size_t *out, char *err, size_t errlen) {
    uint64_t n = *out;
    if (size_var(get, name, PA_BUDGET_MIN, "4KB", PA_BUDGET_MAX, "16MB", example, &n, err, errlen)) return -1;
    *out = (size_t)n;
    return 0;
}

/* A duration in whole seconds, with an optional alias: unset or empty keeps
 * the default in *out. */
static int seconds_var(pa_getenv_fn get, const char *name, const char *alias, const char *example, int *out, char *err,
                       size_t errlen, char *warn, size_t warnlen) {
    const char *v = get_with_alias(get, name, alias, warn, warnlen);
    if (!v) return 0;
    long n;
    if (parse_int(v, 1, TIMEOUT_MAX_S, &n)) {
        snprintf(err, errlen, "%s='%s' is not a valid duration; accepted: whole seconds from 1 to %d, e.g. %s",
                 used_name(get, name, alias), v, TIMEOUT_MAX_S, example);
        return -1;
    }
    *out = (int)n;
    return 0;
}

int pa_config_load(pa_config *cfg, pa_getenv_fn get, char *err, size_t errlen, char *warn, size_t warnlen) {
    memset(cfg, 0, sizeof *cfg);
    if (warn && warnlen) warn[0] = '\0';
    snprintf(cfg->storage_dir, sizeof cfg->storage_dir, "%s", PA_DEFAULT_STORAGE);
    snprintf(cfg->temp_dir, sizeof cfg->temp_dir, "%s", PA_DEFAULT_TEMP);
    snprintf(cfg->tshark_path, sizeof cfg->tshark_path, "%s", PA_DEFAULT_TSHARK);
    cfg->max_capture_bytes = PA_DEFAULT_MAX_CAPTURE_SIZE;
    cfg->capture_timeout_s = PA_DEFAULT_CAPTURE_TIMEOUT;
    cfg->capture_buffer_bytes = PA_DEFAULT_CAPTURE_BUFFER;
    cfg->max_analysis_bytes = PA_DEFAULT_MAX_ANALYSIS_FILE;
    cfg->analysis_timeout_s = PA_DEFAULT_ANALYSIS_TIMEOUT;
    cfg->log_level = PA_LOG_WARNING;
    cfg->text_budget = PA_DEFAULT_TEXT_BUDGET;
    cfg->result_budget = PA_DEFAULT_RESULT_BUDGET;
    cfg->toolset = PA_TOOLSET_FULL;

    const char *v = get_with_alias(get, "PCAP_STORAGE_PATH", "PCAP_STORAGE_DIR", warn, warnlen);
    if (v && set_path(cfg->storage_dir, sizeof cfg->storage_dir,
                      used_name(get, "PCAP_STORAGE_PATH", "PCAP_STORAGE_DIR"), v, err, errlen, warn, warnlen))
        return -1;

    v = get("ANALYSIS_TEMP_DIR");
    if (v && *v && set_path(cfg->temp_dir, sizeof cfg->temp_dir, "ANALYSIS_TEMP_DIR", v, err, errlen, warn, warnlen))
        return -1;

    if (size_var(get, "MAX_CAPTURE_SIZE", SIZE_MIN_BYTES, "1KB", SIZE_MAX_BYTES, "1TB", "100MB",
                 &cfg->max_capture_bytes, err, errlen) ||
        seconds_var(get, "CAPTURE_TIMEOUT", "MAX_CAPTURE_DURATION", "300", &cfg->capture_timeout_s, err, errlen, warn,
                    warnlen) ||
        size_var(get, "CAPTURE_BUFFER_SIZE", 1024ull * 1024, "1MB", 1024ull * 1024 * 1024, "1GB", "32MB",
                 &cfg->capture_buffer_bytes, err, errlen) ||
        size_var(get, "MAX_ANALYSIS_FILE_SIZE", SIZE_MIN_BYTES, "1KB", ANALYSIS_SIZE_MAX_BYTES, "1024TB", "16GB",
                 &cfg->max_analysis_bytes, err, errlen) ||
        seconds_var(get, "ANALYSIS_TIMEOUT", NULL, "120", &cfg->analysis_timeout_s, err, errlen, warn, warnlen))
        return -1;

    if (budget_var(get, "PCAP_MCP_TEXT_BUDGET", "16KB", &cfg->text_budget, err, errlen) ||
        budget_var(get, "PCAP_MCP_RESULT_BUDGET", "64KB", &cfg->result_budget, err, errlen))
        return -1;
    if (cfg->result_budget < cfg->text_budget + PA_BUDGET_MIN) {
        snprintf(err, errlen,
                 "PCAP_MCP_RESULT_BUDGET (%zu bytes) must exceed PCAP_MCP_TEXT_BUDGET (%zu bytes) by at "
                 "least 4KB: the whole result holds the text and the structured result",
                 cfg->result_budget, cfg->text_budget);
        return -1;
    }

    v = get_with_alias(get, "TSHARK_PATH", "WIRESHARK_PATH", warn, warnlen);
    if (v) {
        const char *var = used_name(get, "TSHARK_PATH", "WIRESHARK_PATH");
        if (strlen(v) >= sizeof cfg->tshark_path) {
            snprintf(err, errlen, "%s is too long; accepted: a path under %zu bytes", var, sizeof cfg->tshark_path);
            return -1;
        }
        snprintf(cfg->tshark_path, sizeof cfg->tshark_path, "%s", v);
        find_tshark(cfg, get, var, v, warn, warnlen);
    }

    v = get("PCAP_MCP_LOG_LEVEL");
    if (v && *v) {
        int l = pa_log_level_parse(v);
        if (l < 0) {
            snprintf(err, errlen,
                     "PCAP_MCP_LOG_LEVEL='%s' is not a log level; accepted: debug, info, notice, "
                     "warning, error, critical, alert, emergency",
                     v);
            return -1;
        }
        cfg->log_level = (pa_log_level)l;
    }

    v = get("PCAP_MCP_TOOLSET");
    if (v && *v) {
        int t = pa_toolset_parse(v);
        if (t < 0) {
            snprintf(err, errlen,
                     "PCAP_MCP_TOOLSET='%s' is not a tool set; accepted: core, analysis, full "
                     "(the default)",
                     v);
            return -1;
        }
        cfg->toolset = (pa_toolset)t;
    }
    return 0;
}

static const char *const toolset_names[] = {"core", "analysis", "full"};

int pa_toolset_parse(const char *s) {
    for (int i = 0; i < (int)(sizeof toolset_names / sizeof toolset_names[0]); i++)
        if (strcasecmp(s, toolset_names[i]) == 0) return i;
    return -1;
}

const char *pa_toolset_name(pa_toolset t) {
    return (unsigned)t < sizeof toolset_names / sizeof toolset_names[0] ? toolset_names[t] : "?";
}

static int mkdir_p(char *path) {
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        int r = mkdir(path, 0755);
        *p = '/';
        if (r != 0 && errno != EEXIST) return -1;
    }
    if (mkdir(path, 0755) != 0 && errno != EEXIST) return -1;
    return 0;
}

int pa_config_prepare_storage(const pa_config *cfg, char *err, size_t errlen) {
    struct stat st;
    if (stat(cfg->storage_dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            snprintf(err, errlen,
                     "PCAP_STORAGE_PATH='%s' exists but is not a directory; accepted: a "
                     "directory (it is created when missing)",
                     cfg->storage_dir);
            return -1;
        }
        return 0;
    }
    char tmp[sizeof cfg->storage_dir];
    snprintf(tmp, sizeof tmp, "%s", cfg->storage_dir);
    if (mkdir_p(tmp) != 0) {
        snprintf(err, errlen, "cannot create PCAP_STORAGE_PATH='%s': %s", cfg->storage_dir, strerror(errno));
        return -1;
    }
    return 0;
}
