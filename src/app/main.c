#include "app_main.h"

int main(int argc, char **argv) { return pa_app_main(argc, argv, NULL); }
