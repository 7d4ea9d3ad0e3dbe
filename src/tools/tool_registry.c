#include <string.h>

#include "tools.h"

static const struct {
    const pa_tool_def *def;
    pa_toolset set;
} all[] = {
#define PA_TOOL(sym, set) {&sym, PA_TOOLSET_##set},
#include "tools.def"
#undef PA_TOOL
};

int pa_tools_register_set(pa_registry *r, pa_toolset set, char *err, size_t errlen) {
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i].set <= set && pa_registry_add(r, all[i].def, err, errlen) != 0) return -1;
    return 0;
}

int pa_tools_register_builtin(pa_registry *r, char *err, size_t errlen) {
    return pa_tools_register_set(r, PA_TOOLSET_FULL, err, errlen);
}

int pa_tools_min_set(const char *name) {
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (strcmp(all[i].def->name, name) == 0) return (int)all[i].set;
    return -1;
}
