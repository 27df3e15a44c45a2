// Compiled as if it were a source of src/bot/ (see cmake/check_layout.cmake):
// api/context.h is private to src/api/, so this must not build.
#include "api/context.h"
