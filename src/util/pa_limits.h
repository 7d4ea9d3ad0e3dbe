/* Every cap of the server in one place (SQLite's sqliteLimit.h habit): a table,
 * buffer or loop that grows with input must have its bound named here, and
 * reaching a bound is reported to the caller, never a crash. */
#ifndef PA_LIMITS_H
#define PA_LIMITS_H

/* One JSON-RPC message line on stdin. Requests are small (a tool name and a
 * few arguments); 1 MiB leaves room for long display filters and patterns
 * while stopping a runaway client from making us buffer without end. */
#define PA_MAX_FRAME_BYTES (1024u * 1024u)

/* Nesting depth of request JSON: jansson recurses per level. */
#define PA_MAX_JSON_DEPTH 64

/* Tool calls running or queued at once; more get a "server busy" error. */
#define PA_MAX_INFLIGHT 64

/* Worker threads that run tool calls. */
#define PA_WORKER_THREADS 4

/* tools/list page size: every tool fits on the first page (some clients never
 * follow nextCursor); paging with cursor/nextCursor still works beyond it. */
#define PA_TOOLS_PAGE_SIZE 64

/* Longest accepted pcap_file argument, and longest string argument. */
#define PA_MAX_PATH_ARG 1024
#define PA_MAX_STRING_ARG 65536

/* Directory entries examined by list_captured_files before it stops and
 * reports that the listing is incomplete. */
#define PA_MAX_DIR_ENTRIES 100000

/* Text block of a tool result: a model reads it whole, so it stays small;
 * details live in structuredContent, which is itself bounded by limits. */
#define PA_MAX_TEXT_BYTES (64u * 1024u)

#endif
