/* What the analysis tools share: loading a capture's model through the
 * cache, the "capture" block every result carries, and formatting. */
#ifndef PA_TOOL_COMMON_H
#define PA_TOOL_COMMON_H

#include <jansson.h>

#include <pthread.h>

#include "capture.h"
#include "dfilter.h"
#include "model_cache.h"
#include "pa_limits.h"
#include "storage_path.h"
#include "tools.h"

struct pa_tools_state {
    pa_cache cache;
    pthread_mutex_t capture_lock; /* creates the capture manager once */
    pa_capmgr *capture;           /* live captures of this server (NULL until the first one) */
};

/* The capture manager, created on first use with the configuration's
 * storage directory and limits; NULL when out of memory. */
pa_capmgr *pa_tools_capture(pa_tool_ctx *ctx);

typedef struct pa_loaded {
    const pa_model *m;
    char name[PA_MAX_PATH_ARG + 1]; /* pcap_file as resolved (relative to storage) */
    pa_tools_state *state;
    pa_tools_state *owned; /* a state made for this call (no shared one) */
    bool growing;          /* a live capture of this server is still writing the file */
} pa_loaded;

/* Resolves args.pcap_file, runs or reuses the pass (with args.bpf_filter when
 * given), reporting progress. On failure fills res with isError and returns
 * false. */
bool pa_tool_load(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res, pa_loaded *out);
void pa_tool_unload(pa_loaded *l);

/* Tools that need every frame (packet lists, details, streams) run a pass
 * of their own, not cached: pa_tool_open resolves args.pcap_file (false:
 * res failed), then pa_tool_pass runs it with opts' frame hook, adding
 * progress ("doing") and cancellation; it returns the model (the caller
 * frees it) or NULL with res failed. */
bool pa_tool_open(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res, pa_resolved *rf);
/* args.display_filter compiled (*out NULL when absent or empty); false with
 * res failed (the position and what was expected) when it does not compile. */
bool pa_tool_filter(const json_t *args, pa_tool_result *res, pa_dfilter **out);
/* For tools reading frames themselves: the frames args.display_filter
 * matches (mask->filter NULL when there is none); false with res failed. */
bool pa_tool_mask(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res, pa_frame_mask *mask);
pa_model *pa_tool_pass(pa_tool_ctx *ctx, pa_tool_result *res, pa_resolved *rf, const char *doing, pa_engine_opts *opts);

/* The "capture" object of every result, and its schema (a JSON fragment). */
json_t *pa_capture_json(const pa_loaded *l);
#define PA_CAPTURE_SCHEMA                                                                                              \
    "{\"type\":\"object\",\"required\":[\"file\",\"format\",\"packets\",\"complete\"],"                                \
    "\"properties\":{\"file\":{\"type\":\"string\"},\"format\":{\"type\":\"string\"},"                                 \
    "\"packets\":{\"type\":\"integer\"},\"bytes\":{\"type\":\"integer\"},"                                             \
    "\"first_time\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}]},"                                          \
    "\"duration_s\":{\"type\":\"number\"},"                                                                            \
    "\"complete\":{\"type\":\"boolean\",\"description\":\"false when the file is damaged "                             \
    "part-way; results cover the frames before the damage\"},"                                                         \
    "\"stop_reason\":{\"type\":\"string\"},\"stop_offset\":{\"type\":\"integer\"},"                                    \
    "\"bpf_filter\":{\"type\":\"string\"},\"frames_filtered_out\":{\"type\":\"integer\"},"                             \
    "\"display_filter\":{\"type\":\"string\"},"                                                                        \
    "\"growing\":{\"type\":\"boolean\",\"description\":\"a capture is still writing the file\"},"                      \
    "\"undecoded_link_types\":{\"type\":\"array\",\"description\":\"link types whose frames are counted but "          \
    "not decoded\",\"items\":{\"type\":\"object\",\"properties\":{\"linktype\":{\"type\":\"integer\"},"                \
    "\"name\":{\"type\":\"string\"},\"frames\":{\"type\":\"integer\"}},\"additionalProperties\":false}},"              \
    "\"limits_reached\":{\"type\":\"array\",\"description\":\"tables of the analysis that "                            \
    "reached their cap; figures they feed are lower bounds or lists incomplete\",\"items\":"                           \
    "{\"type\":\"object\",\"required\":[\"table\",\"overflow\",\"effect\"],\"properties\":"                            \
    "{\"table\":{\"type\":\"string\"},\"cap\":{\"type\":\"integer\"},\"overflow\":"                                    \
    "{\"type\":\"integer\"},\"effect\":{\"type\":\"string\"}},\"additionalProperties\":false}}},"                      \
    "\"additionalProperties\":false}"

/* The input properties most tools share (JSON fragments). They carry no
 * description: every tool's schema is in a model's context, so the names
 * speak for themselves and the server's instructions and the guide resource
 * (tool_catalog.c) say once what they mean. */
#define PA_ARG_PCAP_FILE "\"pcap_file\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":1024}"
#define PA_ARG_BPF                                                                                                     \
    "\"bpf_filter\":{\"type\":\"string\",\"maxLength\":4096},"                                                         \
    "\"display_filter\":{\"type\":\"string\",\"maxLength\":4096}"
#define PA_ARG_LIMIT(def, max)                                                                                         \
    "\"limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":" #max ",\"default\":" #def "}"
#define PA_ARG_OFFSET "\"offset\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":100000000,\"default\":0}"

/* Text helpers: the result's first line names the file and its damage. */
void pa_text_capture_header(pa_buf *b, const pa_loaded *l);
/* The line that tells a model the names, URIs and certificate fields that
 * follow were copied from packets (a hostile sender chose them). */
void pa_text_packet_note(pa_buf *b);
void pa_fmt_time(char *out, size_t n, int64_t ts_ns);     /* ISO 8601 UTC with microseconds */
void pa_fmt_rate(char *out, size_t n, double bits_per_s); /* "12.3 Mbit/s" */
json_t *pa_json_addr(const pa_addr *a);
/* "10.0.0.5:51514", "[2001:db8::1]:443" */
void pa_text_addr_port(pa_buf *b, const pa_addr *a, uint16_t port);
json_t *pa_json_mac(const uint8_t mac[6]);
/* A flow key's endpoints in Wireshark order (A sent the first packet). */
void pa_flow_sides(const pa_flow *f, pa_addr *a, uint16_t *pa, pa_addr *b, uint16_t *pb);

#endif
