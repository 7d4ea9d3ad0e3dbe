#include "tools.h"

int pa_tools_register_builtin(pa_registry *r, char *err, size_t errlen) {
    static const pa_tool_def *const all[] = {
#define PA_TOOL(sym) &sym,
#include "tools.def"
#undef PA_TOOL
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (pa_registry_add(r, all[i], err, errlen) != 0) return -1;
    return 0;
}
