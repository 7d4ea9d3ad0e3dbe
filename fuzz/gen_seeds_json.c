/* The JSON seeds of pa-fuzz-gen-seeds (see gen_seeds.c): JSON-RPC lines for
 * fuzz_jsonrpc, MCP sessions for fuzz_server, tool arguments and schemas for
 * fuzz_schema. Each is written as given, with no newline added. */
#include "seed_kit.h"

void seeds_jsonrpc(void) {
    static const char *const lines[][2] = {
        {"initialize", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                       "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                       "\"clientInfo\":{\"name\":\"c\",\"version\":\"1\"}}}"},
        {"tools-call", "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"tools/call\",\"params\":"
                       "{\"name\":\"analyze_pcap_file\",\"arguments\":{\"pcap_file\":\"a.pcap\","
                       "\"limit\":10},\"_meta\":{\"progressToken\":7}}}"},
        {"notification", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"},
        {"notification-bad-params", "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":[1,2]}"},
        {"cancelled", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":"
                      "{\"requestId\":3,\"reason\":\"user\"}}"},
        {"response-result", "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{}}"},
        {"response-error", "{\"jsonrpc\":\"2.0\",\"id\":6,\"error\":{\"code\":-1,\"message\":\"m\"}}"},
        {"batch", "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]"},
        {"not-object", "\"just a string\""},
        {"wrong-version", "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}"},
        {"id-null", "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}"},
        {"id-real", "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}"},
        {"method-number", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":42}"},
        {"params-array", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":[]}"},
        {"params-string", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":\"p\"}"},
        {"no-method", "{\"jsonrpc\":\"2.0\",\"id\":1}"},
        {"deep", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"a\":[[[[[[[[[["
                 "[[[[[[[[[[{}]]]]]]]]]]]]]]]]]]]]}}"},
        {"brackets-in-string", "{\"jsonrpc\":\"2.0\",\"id\":\"[[[{{{\\\"\\\\\",\"method\":\"m\"}"},
        {"nul-escape", "{\"jsonrpc\":\"2.0\",\"id\":\"a\\u0000b\",\"method\":\"m\\u0000\",\"params\":"
                       "{\"k\":\"\\u0000\\ud83d\\ude00\"}}"},
        {"parse-error", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",}"},
        {"big-numbers", "{\"jsonrpc\":\"2.0\",\"id\":9223372036854775807,\"method\":\"m\","
                        "\"params\":{\"r\":1e308,\"n\":-0.0,\"i\":-9223372036854775808}}"},
        {"duplicate-keys", "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":\"x\",\"method\":\"a\",\"method\":\"b\"}"},
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) text(T_JSONRPC, "jsonrpc", lines[i][0], lines[i][1]);
}

#define INIT_NOTE "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"

void seeds_server(void) {
    static const char *const sessions[][2] = {
        {"list-tools",
         INIT_NOTE "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}\n"
                   "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{\"cursor\":\"1\"}}\n"
                   "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\",\"params\":{\"cursor\":\"x\"}}\n"},
        {"list-files", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
                       "{\"name\":\"list_captured_files\",\"arguments\":{\"limit\":1,\"offset\":1}}}\n"
                       "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
                       "{\"name\":\"list_captured_files\"}}\n"},
        {"analyze-summary", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
                            "{\"name\":\"analyze_pcap_file\",\"arguments\":{\"pcap_file\":\"sample.pcap\"},"
                            "\"_meta\":{\"progressToken\":\"p\"}}}\n"},
        {"analyze-kinds", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
                          "\"analyze_pcap_file\",\"arguments\":{\"pcap_file\":\"sample.pcap\","
                          "\"analysis_type\":\"protocols\"}}}\n"
                          "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                          "\"analyze_pcap_file\",\"arguments\":{\"pcap_file\":\"sample.pcap\","
                          "\"analysis_type\":\"conversations\",\"conversation_type\":\"tcp\",\"limit\":1}}}\n"
                          "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":"
                          "\"analyze_pcap_file\",\"arguments\":{\"pcap_file\":\"sample.pcap\","
                          "\"analysis_type\":\"endpoints\",\"offset\":2}}}\n"},
        {"analyze-bpf", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
                        "\"analyze_pcap_file\",\"arguments\":{\"pcap_file\":\"sample.pcap\","
                        "\"bpf_filter\":\"tcp port 80\"}}}\n"
                        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                        "\"analyze_pcap_file\",\"arguments\":{\"pcap_file\":\"sample.pcap\","
                        "\"bpf_filter\":\"tcp port\"}}}\n"},
        {"analyze-bad-files", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
                              "\"analyze_pcap_file\",\"arguments\":{\"pcap_file\":\"notes.txt\"}}}\n"
                              "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                              "\"analyze_pcap_file\",\"arguments\":{\"pcap_file\":\"../etc/passwd\"}}}\n"
                              "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":"
                              "\"analyze_pcap_file\",\"arguments\":{\"pcap_file\":\"subdir.pcap\"}}}\n"
                              "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":"
                              "\"analyze_pcap_file\",\"arguments\":{\"pcap_file\":\"empty.pcap\"}}}\n"},
        {"bad-arguments", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
                          "\"analyze_pcap_file\",\"arguments\":{\"pcap_file\":\"a\\u0000b\",\"limit\":5.0}}}\n"
                          "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                          "\"list_captured_files\",\"arguments\":{\"limit\":0,\"x\":1}}}\n"
                          "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":"
                          "\"nope\"}}\n"
                          "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":"
                          "\"list_captured_files\",\"arguments\":[]}}\n"},
        {"cancel-and-dup",
         "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":"
         "\"analyze_pcap_file\",\"arguments\":{\"pcap_file\":\"sample.pcap\"}}}\n"
         "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}\n"
         "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":7}}\n"},
        {"lifecycle",
         "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n"
         "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"initialize\",\"params\":"
         "{\"protocolVersion\":\"2024-11-05\"}}\n"
         "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"debug\"}}\n"
         "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"LOUD\"}}\n"
         "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"resources/list\"}\n"
         "{\"jsonrpc\":\"2.0\",\"id\":6,\"result\":{}}\n"},
        {"not-initialized", "!\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}\n"
                            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"initialize\",\"params\":{}}\n"
                            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\",\"params\":"
                            "{\"protocolVersion\":\"1999-01-01\"}}\n"
                            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":"
                            "{\"name\":\"list_captured_files\"}}\n"},
        {"timeline-io-bandwidth", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
                                  "\"generate_traffic_timeline\",\"arguments\":{\"pcap_file\":\"sample.pcap\","
                                  "\"time_interval\":1,\"limit\":2}}}\n"
                                  "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                                  "\"generate_throughput_io_graph\",\"arguments\":{\"pcap_file\":\"sample.pcap\","
                                  "\"time_interval\":0.001,\"offset\":1}}}\n"
                                  "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":"
                                  "\"analyze_bandwidth_utilization\",\"arguments\":{\"pcap_file\":\"sample.pcap\","
                                  "\"time_window\":2,\"link_speed_mbps\":100}}}\n"},
        {"topology-search", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
                            "\"analyze_network_topology\",\"arguments\":{\"pcap_file\":\"sample.pcap\"}}}\n"
                            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                            "\"search_packet_content\",\"arguments\":{\"pcap_file\":\"sample.pcap\","
                            "\"search_pattern\":\"http\"}}}\n"
                            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":"
                            "\"search_packet_content\",\"arguments\":{\"pcap_file\":\"sample.pcap\","
                            "\"search_pattern\":\"de ad BE\",\"mode\":\"hex\"}}}\n"
                            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":"
                            "\"search_packet_content\",\"arguments\":{\"pcap_file\":\"sample.pcap\","
                            "\"search_pattern\":\"G(E|X)T +/\",\"mode\":\"regex\",\"case_sensitive\":true,"
                            "\"limit\":1}}}\n"},
        {"catalog", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/list\"}\n"
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"resources/templates/list\"}\n"
                    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"resources/read\",\"params\":"
                    "{\"uri\":\"pcap-analyzer://guide\"}}\n"
                    "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"resources/read\",\"params\":"
                    "{\"uri\":\"pcap://sample.pcap/summary\"}}\n"
                    "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"resources/read\",\"params\":"
                    "{\"uri\":\"pcap://..%2Fx%zz/summary\"}}\n"
                    "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"prompts/list\"}\n"
                    "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"prompts/get\",\"params\":{\"name\":"
                    "\"slow_transfer\",\"arguments\":{\"pcap_file\":\"sample.pcap\",\"host\":"
                    "\"10.0.0.1\",\"stream\":\"1\"}}}\n"
                    "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"completion/complete\",\"params\":"
                    "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"capture_triage\"},\"argument\":"
                    "{\"name\":\"display_filter\",\"value\":\"tcp.fl\"}}}\n"
                    "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"completion/complete\",\"params\":"
                    "{\"ref\":{\"type\":\"ref/resource\",\"uri\":\"pcap://{file}/summary\"},"
                    "\"argument\":{\"name\":\"file\",\"value\":\"s\"}}}\n"},
        {"garbage-lines", "\n   \r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"\n[]\n\xff too long\n"
                          "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}\n"},
    };
    for (size_t i = 0; i < sizeof sessions / sizeof sessions[0]; i++)
        text(T_SERVER, "server", sessions[i][0], sessions[i][1]);
}

void seeds_schema(void) {
    static const char *const args[][2] = {
        {"empty", "{}"},
        {"analyze-full", "{\"pcap_file\":\"a.pcap\",\"analysis_type\":\"conversations\","
                         "\"conversation_type\":\"udp\",\"bpf_filter\":\"udp\",\"limit\":1000,\"offset\":0}"},
        {"analyze-bad-enum", "{\"pcap_file\":\"a.pcap\",\"analysis_type\":\"everything\"}"},
        {"list-reals", "{\"limit\":10.0,\"offset\":1e3}"},
        {"list-out-of-range", "{\"limit\":1001,\"offset\":-1}"},
        {"unknown-arg", "{\"pcap\":\"x\"}"},
        {"nul-in-string", "{\"pcap_file\":\"a\\u0000.pcap\"}"},
        {"long-utf8", "{\"pcap_file\":\"\\u00e9\\u00e9\\u00e9\\ud83d\\ude00\"}"},
        {"wrong-types", "{\"pcap_file\":5,\"limit\":\"5\",\"offset\":true}"},
        {"array", "[1,{\"a\":null}]"},
        {"search-args", "{\"pcap_file\":\"a.pcap\",\"search_pattern\":\"(a|b)*c\",\"mode\":\"regex\","
                        "\"case_sensitive\":true}"},
        {"interval-args", "{\"pcap_file\":\"a.pcap\",\"time_interval\":0.5,\"time_window\":3600,"
                          "\"link_speed_mbps\":0}"},
        {"schema-object", "{\"type\":\"object\",\"required\":[\"a\"],\"properties\":{\"a\":{\"type\":"
                          "[\"integer\",\"null\"],\"minimum\":0,\"maximum\":5,\"default\":1},\"b\":{\"type\":"
                          "\"string\",\"enum\":[\"x\",\"y\"],\"default\":\"x\"}},\"additionalProperties\":false}"},
        {"schema-array", "{\"type\":\"array\",\"items\":{\"type\":\"string\",\"minLength\":1,"
                         "\"maxLength\":3},\"minItems\":1,\"maxItems\":2}"},
        {"schema-ap-schema", "{\"type\":\"object\",\"additionalProperties\":{\"type\":\"number\","
                             "\"maximum\":1e300}}"},
        {"schema-unsupported", "{\"type\":\"object\",\"oneOf\":[]}"},
        {"schema-odd-values", "{\"minLength\":\"x\",\"maxItems\":-1,\"required\":{},\"properties\":[]}"},
    };
    for (size_t i = 0; i < sizeof args / sizeof args[0]; i++) text(T_SCHEMA, "schema", args[i][0], args[i][1]);
}
