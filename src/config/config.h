/* Server configuration from the environment (names and aliases as the
 * original Python server, see docs and COMPAT). Parsing is pure: it reads a
 * getenv-like callback so tests can feed any environment. */
#ifndef PA_CONFIG_H
#define PA_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "util_log.h"

#define PA_DEFAULT_STORAGE "/tmp/pcap_files"
#define PA_DEFAULT_TEMP "/tmp/pcap_analysis"
#define PA_DEFAULT_MAX_CAPTURE_SIZE (100ull * 1024 * 1024)
#define PA_DEFAULT_CAPTURE_TIMEOUT 300
/* The kernel ring of a live capture: 32 MiB holds about 100,000 small
 * frames, a burst of a few hundred milliseconds at full rate (docs/CAPTURE.md). */
#define PA_DEFAULT_CAPTURE_BUFFER (32ull * 1024 * 1024)
/* 16 GiB: about 15 s of analysis on the benchmark machine (docs/BENCHMARKS.md) */
#define PA_DEFAULT_MAX_ANALYSIS_FILE (16ull * 1024 * 1024 * 1024)
/* eight times what a 16 GiB capture needs on the benchmark machine */
#define PA_DEFAULT_ANALYSIS_TIMEOUT 120
#define PA_DEFAULT_TSHARK "/opt/homebrew/bin/tshark"
/* What a model reads of one tool result: the text block, and the whole
 * result (text plus structuredContent) as JSON. 16 KiB of text is about
 * 4,000 tokens, a screenful of rows a model can still reason over; the
 * structured result mirrors the text, so four times that holds both. */
#define PA_DEFAULT_TEXT_BUDGET (16u * 1024)
#define PA_DEFAULT_RESULT_BUDGET (64u * 1024)
#define PA_BUDGET_MIN (4u * 1024)
#define PA_BUDGET_MAX (16u * 1024 * 1024)

/* PCAP_MCP_TOOLSET: which tools the server offers. Each set holds the one
 * before it (core in analysis in full); see README and docs/ARCHITECTURE.md. */
typedef enum { PA_TOOLSET_CORE, PA_TOOLSET_ANALYSIS, PA_TOOLSET_FULL } pa_toolset;

typedef struct pa_config {
    char storage_dir[4096];        /* PCAP_STORAGE_PATH (alias PCAP_STORAGE_DIR); always absolute */
    char temp_dir[4096];           /* ANALYSIS_TEMP_DIR; always absolute */
    uint64_t max_capture_bytes;    /* MAX_CAPTURE_SIZE */
    int capture_timeout_s;         /* CAPTURE_TIMEOUT (alias MAX_CAPTURE_DURATION) */
    uint64_t capture_buffer_bytes; /* CAPTURE_BUFFER_SIZE: the kernel ring of each live capture */
    uint64_t max_analysis_bytes;   /* MAX_ANALYSIS_FILE_SIZE: larger captures are refused (0: no limit) */
    int analysis_timeout_s;        /* ANALYSIS_TIMEOUT: a tool call is stopped after this long (0: never) */
    char tshark_path[4096];        /* TSHARK_PATH (alias WIRESHARK_PATH); optional */
    size_t text_budget;            /* PCAP_MCP_TEXT_BUDGET: bytes of a result's text block */
    size_t result_budget;          /* PCAP_MCP_RESULT_BUDGET: bytes of a whole result (JSON) */
    pa_log_level log_level;        /* PCAP_MCP_LOG_LEVEL: stderr verbosity */
    pa_toolset toolset;            /* PCAP_MCP_TOOLSET (default full) */
} pa_config;

typedef const char *(*pa_getenv_fn)(const char *name);

/* Fills cfg from the environment. On a bad value returns -1 and writes a
 * message naming the variable, the value and what is accepted into err.
 * Warnings are written to warn (may be empty): alias conflicts, relative
 * directories and the absolute path they were resolved to (against the
 * working directory now), and a TSHARK_PATH / WIRESHARK_PATH that is not an
 * executable (a bare name is looked up on get("PATH"), and tshark_path then
 * holds what was found). */
int pa_config_load(pa_config *cfg, pa_getenv_fn get, char *err, size_t errlen, char *warn, size_t warnlen);

/* "100MB", "1.5G" is refused (whole numbers only), "4096", "64 KiB".
 * Units B, K/KB/KiB, M/MB/MiB, G/GB/GiB, T/TB/TiB, case-insensitive, 1024-based.
 * Returns 0 on success. */
int pa_parse_size(const char *s, uint64_t *out);

/* "core", "analysis", "full" (any case) or -1; and back. */
int pa_toolset_parse(const char *s);
const char *pa_toolset_name(pa_toolset t);

/* Creates the storage directory (and parents) when missing; refuses a path
 * that exists and is not a directory. */
int pa_config_prepare_storage(const pa_config *cfg, char *err, size_t errlen);

#endif
